"""The OpenAPI document says what the API really answers: file downloads, multipart parts, money, problems."""

from __future__ import annotations

import pytest

from app.schemas.fields import MONEY_PATTERN

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BINARY = {"type": "string", "format": "binary"}


@pytest.fixture
def document(client):
    return client.get("/api/v1/openapi.json").json


def _operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                yield f"{method.upper()} {path}", operation


def test_an_attachment_is_downloaded_as_its_bytes_and_deleted_without_content(document):
    item = document["paths"]["/api/v1/contracts/{contract_id}/attachments/{attachment_id}"]
    content = item["get"]["responses"]["200"]["content"]
    assert {media: c["schema"] for media, c in content.items()} == {
        "application/pdf": BINARY,
        "image/png": BINARY,
        "image/jpeg": BINARY,
    }
    assert "204" not in item["get"]["responses"]
    assert "content" not in item["delete"]["responses"]["204"] and "200" not in item["delete"]["responses"]


@pytest.mark.parametrize(
    ("path", "parts"),
    [
        ("/api/v1/contracts/{contract_id}/attachments", {"file", "kind"}),
        ("/api/v1/verify", {"file"}),
    ],
)
def test_an_upload_is_multipart_with_a_required_file(document, path, parts):
    body = document["paths"][path]["post"]["requestBody"]
    assert list(body["content"]) == ["multipart/form-data"]
    schema = body["content"]["multipart/form-data"]["schema"]
    if "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    file_part = schema["properties"]["file"]
    assert set(schema["required"]) == parts and (file_part["type"], file_part["format"]) == ("string", "binary")


def test_money_is_a_string_with_its_pattern_and_nullable_fields_say_so(document):
    contract = document["components"]["schemas"]["ContractOut"]["properties"]
    assert contract["amount"] == {"type": "string", "pattern": MONEY_PATTERN, "example": "1250000.00", "nullable": True}
    assert contract["registration_number"]["nullable"] is True and "nullable" not in contract["id"]
    deduction = document["components"]["schemas"]["DeductionIn"]["properties"]["amount"]
    assert deduction["type"] == "string" and deduction["pattern"] == MONEY_PATTERN


def test_every_error_is_problem_json_and_every_operation_lists_its_own(document):
    for name, operation in _operations(document):
        responses = operation["responses"]
        assert "default" not in responses, name
        problems = [status for status in responses if status.startswith("4")]
        assert problems, name
        for status in problems:
            reference = responses[status]["$ref"].rsplit("/", 1)[-1]
            assert list(document["components"]["responses"][reference]["content"]) == ["application/problem+json"]


@pytest.mark.parametrize(
    ("name", "statuses"),
    [
        ("POST /api/v1/contracts", {"400", "401", "403", "415", "422"}),
        ("PATCH /api/v1/contracts/{contract_id}", {"400", "401", "403", "404", "409", "415", "422"}),
        ("POST /api/v1/contracts/{contract_id}/attachments", {"401", "403", "404", "409", "413", "415", "422"}),
        ("POST /api/v1/contracts/{contract_id}/register", {"400", "401", "403", "404", "409", "415", "422"}),
    ],
)
def test_the_problems_of_an_operation_are_listed(document, name, statuses):
    operation = dict(_operations(document))[name]
    assert {s for s in operation["responses"] if s.startswith("4")} == statuses


@pytest.mark.parametrize(
    ("name", "media_types"),
    [
        ("GET /api/v1/tax/exports", {"text/csv", "application/json", XLSX}),
        ("GET /api/v1/stats", {"text/csv", "application/json", XLSX}),
        ("GET /api/v1/contracts/{contract_id}/certificate.pdf", {"application/pdf"}),
        ("GET /api/v1/contracts/{contract_id}/certificate.ofd", {"application/ofd"}),
    ],
)
def test_files_are_documented_with_their_media_types(document, name, media_types):
    operation = dict(_operations(document))[name]
    assert set(operation["responses"]["200"]["content"]) == media_types
