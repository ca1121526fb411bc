"""JSON and XML answers in GeoReport v2's shapes. XML is built with ElementTree (never by pasting
strings), schemaless and without a namespace, behind the declaration the spec asks for."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from typing import Any

from django.http import HttpResponse
from django.utils import translation

FORMATS = ("json", "xml")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'
# Lists nested in an element: <attributes><attribute>..., <values><value>..., <endpoints><endpoint>...
ITEM_OF = {"attributes": "attribute", "values": "value", "endpoints": "endpoint", "formats": "format"}
# Characters XML 1.0 cannot carry at all.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _fill(element: ET.Element, name: str, value: Any) -> None:
    if isinstance(value, Mapping):
        for key, inner in value.items():
            _fill(ET.SubElement(element, key), key, inner)
    elif isinstance(value, list | tuple):
        item = ITEM_OF.get(name, "item")
        for inner in value:
            _fill(ET.SubElement(element, item), item, inner)
    else:
        element.text = _text(value)


def to_xml(root: str, item: str | None, data: Any) -> bytes:
    """``data`` under ``<root>``; a list puts each entry in its own ``<item>``."""
    element = ET.Element(root)
    if item is not None:
        for row in data:
            _fill(ET.SubElement(element, item), item, row)
    else:
        _fill(element, root, data)
    return XML_DECLARATION + ET.tostring(element, encoding="utf-8", xml_declaration=False)


def render(fmt: str, data: Any, *, root: str, item: str | None = None, status: int = 200) -> HttpResponse:
    """A GeoReport answer: JSON is the list (or object) itself, XML the same under ``root``."""
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False).encode()
    else:
        body = to_xml(root, item, data)
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])
    response["Content-Language"] = translation.get_language() or ""
    return response


def errors(fmt: str, status: int, descriptions: Iterable[str]) -> HttpResponse:
    """The spec's error list: ``[{"code": 404, "description": ...}]`` / ``<errors><error>``."""
    rows = [{"code": status, "description": description} for description in descriptions]
    return render(fmt if fmt in FORMATS else "xml", rows, root="errors", item="error", status=status)
