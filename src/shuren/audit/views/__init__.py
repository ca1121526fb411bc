"""The audit log's pages, for auditors: the list, one event, the chain's verification."""
