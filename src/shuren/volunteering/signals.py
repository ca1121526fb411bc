"""Events other modules consume.

``service_confirmed`` is sent after the transaction that wrote a ServiceRecord commits — an
original record (hours confirmed) or a correction (a signed difference in minutes). The points
module credits (or, for a negative correction, debits) the volunteer from it, with the record as
the source key, so a record moves points at most once; the ServiceRecord rows themselves are the
durable record from which missed credits are replayed (``shuren points sweep``)."""

from django.dispatch import Signal

# kwargs: record (ServiceRecord)
service_confirmed = Signal()
