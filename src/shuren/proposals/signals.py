"""``proposal_qualified`` is sent after commit when a proposal reaches its co-signing threshold;
meetings listens and puts it on the next meeting of its place (or keeps it waiting until one is
scheduled)."""

from django.dispatch import Signal

# kwargs: proposal (Proposal)
proposal_qualified = Signal()
