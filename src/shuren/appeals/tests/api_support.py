"""Helpers for the appeals API tests (no tests here): one signed-in caller, and a photo to upload."""

from __future__ import annotations

import io
import json
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from shuren.accounts.services import issue_api_token

BASE = "/api/v1/appeals/"
PROBLEM = "application/problem+json"


class Api:
    """Calls the API as ``user`` with an API token (staff get theirs only with a TOTP code)."""

    def __init__(self, user: Any, client: Client | None = None) -> None:
        self.user = user
        if client is None:
            _token, key = issue_api_token(user=user, name="test")
            client = Client(HTTP_AUTHORIZATION=f"Token {key}")
        self.client = client

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params)

    def post(self, path: str, body: dict[str, Any] | None = None, **headers: Any) -> Any:
        return self.client.post(path, data=json.dumps(body or {}), content_type="application/json", **headers)

    def submit(self, key: str = "submit-1", **body: Any) -> Any:
        return self.post(BASE, body, HTTP_IDEMPOTENCY_KEY=key)

    def detail(self, appeal_id: int) -> Any:
        return self.get(f"{BASE}{appeal_id}/")

    def act(self, appeal_id: int, action: str, body: dict[str, Any] | None = None, **headers: Any) -> Any:
        """One workflow step, sending the ETag just read as If-Match unless the body or the
        headers already carry a version."""
        body = dict(body or {})
        if "version" not in body and "HTTP_IF_MATCH" not in headers:
            headers["HTTP_IF_MATCH"] = self.detail(appeal_id)["ETag"]
        return self.post(f"{BASE}{appeal_id}/{action}/", body, **headers)


def photo_file(name: str = "photo.png", colour: str = "red") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
