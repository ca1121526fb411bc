from shuren.governance.testing import gov_world  # noqa: F401  (fixture)
from shuren.points.testing import points_world  # noqa: F401  (fixture)
from shuren.volunteering.testing import vol_world  # noqa: F401  (fixture)
