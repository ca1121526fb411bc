"""Pages of the Open311 adapter: ``georeport`` (the GeoReport v2 endpoint, /open311/v2/, for
Open311 clients)."""
