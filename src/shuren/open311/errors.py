"""The one error the adapter raises: an HTTP status and the descriptions the client will read
(GeoReport v2 answers errors as a list of {code, description})."""

from __future__ import annotations


class Open311Error(Exception):
    def __init__(self, status: int, *descriptions: str) -> None:
        self.status = status
        self.descriptions = [str(d) for d in descriptions] or [""]
        super().__init__("; ".join(self.descriptions))
