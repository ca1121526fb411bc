"""REST API of conventions (/api/v1/conventions/): staff (conventions.view) read the conventions of
their areas with every version; residents (conventions.comment) those of their places that are in
force or in discussion, with the published versions and the diff; residents comment on a version in
discussion. Drafting and adoption happen in the console and through meetings and ballots.

``reads`` (the list, one convention), ``actions`` (comments), ``serializers``."""
