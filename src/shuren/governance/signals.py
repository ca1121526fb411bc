"""Events other modules consume. ``item_verified`` is sent after the verifying transaction commits,
once per verified item, with the points to credit: the points module (issue M11) credits the claim's
holder from it; until then the ItemUpdate(kind="verified", points=...) rows are the durable record
from which credits can be replayed."""

from django.dispatch import Signal

# kwargs: item (GovernanceItem), claim (Claim), points (int), verified_by (User)
item_verified = Signal()
