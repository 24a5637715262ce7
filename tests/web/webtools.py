"""Helpers of the page tests: a filing as form fields, filing through the pages, and reading parts of a page."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from tests.factories import MINIMAL_PDF, csrf_from

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}


def form_fields(filing: dict) -> dict[str, str]:
    """An API-shaped filing as the inputs of the filing form."""
    fields = {
        name: str(filing.get(name) or "")
        for name in (
            "title",
            "signed_on",
            "valid_from",
            "valid_until",
            "amount",
            "technical_amount",
            "technical_field",
            "ip_type",
            "plan_category",
            "payment_method",
            "summary",
            "category",
            "subtype",
        )
    }
    fields["ip_numbers"] = "\n".join(filing.get("ip_numbers") or [])
    for name in ("equity", "signed_by_internal_unit", "government_funded"):
        if filing.get(name):
            fields[name] = "1"  # a ticked checkbox; an unticked one is not posted
    for role in ("seller", "buyer"):
        for name, value in (filing.get(role) or {}).items():
            fields[f"{role}.{name}"] = value or ""
    for index, deduction in enumerate(filing.get("deductions") or []):
        for name, value in deduction.items():
            fields[f"deductions.{index}.{name}"] = value or ""
    for name, value in (filing.get("license") or {}).items():
        fields[f"license.{name}"] = str(value)
    return fields


def csrf(client, url: str = "/contracts") -> str:
    """A CSRF token of the client's session."""
    return csrf_from(client.get(url).text)


def contract_id_of(response) -> int:
    """The contract id a redirect after saving points to."""
    match = re.search(r"/contracts/(\d+)", response.headers["Location"])
    assert match, response.headers.get("Location")
    return int(match.group(1))


def save_new(client, filing: dict, then: str = "view"):
    """Post the filing form of a new draft; returns the response."""
    token = csrf(client, f"/contracts/new?category={filing['category']}&subtype={filing['subtype']}")
    return client.post("/contracts/new", data={**form_fields(filing), "csrf_token": token, "then": then})


def upload(
    client, contract_id: int, kind: str = "contract_text", content: bytes = MINIMAL_PDF, filename: str = "contract.pdf"
):
    """Post the attachment form of a contract's page."""
    return client.post(
        f"/contracts/{contract_id}/attachments",
        content_type="multipart/form-data",
        data={"csrf_token": csrf(client), "kind": kind, "file": (io.BytesIO(content), filename)},
    )


def submit(client, contract_id: int, acknowledge: tuple[str, ...] = ()):
    """Post the submission form of a contract's page."""
    return client.post(
        f"/contracts/{contract_id}/submit", data={"csrf_token": csrf(client), "acknowledge": list(acknowledge)}
    )


@dataclass
class Element:
    """What a part of a page holds: its text and the data-code / data-status values inside it."""

    text: str = ""
    codes: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    inputs: dict[str, str] = field(default_factory=dict)


class _ElementParser(HTMLParser):
    def __init__(self, element_id: str):
        super().__init__(convert_charrefs=True)
        self.element_id, self.depth, self.found = element_id, 0, None
        self.element = Element()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.found is None and attrs.get("id") == self.element_id:
            self.found = True
            self._collect(tag, attrs)
            self.depth = 0 if tag in VOID else 1
        elif self.depth:
            self._collect(tag, attrs)
            if tag not in VOID:
                self.depth += 1

    def _collect(self, tag, attrs):
        if "data-code" in attrs:
            self.element.codes.append(attrs["data-code"])
        if "data-status" in attrs:
            self.element.statuses.append(attrs["data-status"])
        if tag == "input" and attrs.get("name"):
            self.element.inputs[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if self.depth and tag not in VOID:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.element.text += data


def element(html: str, element_id: str) -> Element | None:
    """The element with this id, or None when the page has none."""
    parser = _ElementParser(element_id)
    parser.feed(html)
    return parser.element if parser.found else None


def input_names(html: str) -> set[str]:
    """The names of every input, select and textarea of a page."""
    return set(re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', html))
