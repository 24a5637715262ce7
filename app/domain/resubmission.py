"""What changed between two submissions of a filing: the fields, field by field, and the attachments added or removed.

Both sides are snapshots taken at submission (the filing in the API's shape, JSON-safe, plus its attachments as
kind, name and SHA-256), so the comparison is of what the station received each time, not of the live record.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

NESTED = ("seller", "buyer", "license")  # objects compared member by member ("seller.name")
LISTED = ("other_parties",)  # lists of objects compared item by item, member by member ("other_parties.0.name")
ATTACHMENTS = "attachments"


@dataclass(frozen=True)
class FieldChange:
    """One field whose value differs: its path ("title", "seller.credit_code", "deductions"), before and after."""

    path: str
    before: object
    after: object


@dataclass(frozen=True)
class FilingDiff:
    """The differences between two submissions; empty when the applicant resubmitted the same filing."""

    fields: list[FieldChange] = field(default_factory=list)
    attachments_added: list[dict] = field(default_factory=list)
    attachments_removed: list[dict] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.fields or self.attachments_added or self.attachments_removed)


def _blank(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _flatten(snapshot: dict) -> dict[str, object]:
    """The snapshot's fields as paths to values: nested objects member by member, the other parties item by item,
    other lists whole."""
    flat: dict[str, object] = {}
    for name, value in snapshot.items():
        if name == ATTACHMENTS:
            continue
        if name in NESTED:
            for member, member_value in (value or {}).items():
                flat[f"{name}.{member}"] = member_value
        elif name in LISTED:
            for index, item in enumerate(value or []):
                for member, member_value in item.items():
                    flat[f"{name}.{index}.{member}"] = member_value
        else:
            flat[name] = value
    return flat


def _attachment_key(attachment: dict) -> tuple:
    """An attachment is the same when its kind and its content are: a renamed file is not a new one."""
    return (attachment.get("kind"), attachment.get("sha256") or attachment.get("filename"))


def _only_in(first: list[dict], second: list[dict]) -> list[dict]:
    """The attachments of `first` that `second` lacks, counting duplicates."""
    left = Counter(_attachment_key(a) for a in second)
    missing = []
    for attachment in first:
        key = _attachment_key(attachment)
        if left[key]:
            left[key] -= 1
        else:
            missing.append(attachment)
    return missing


def diff_filings(before: dict, after: dict) -> FilingDiff:
    """The fields that differ (an empty value and a missing one are the same), in the order of the later
    submission, and the attachments added and removed."""
    old, new = _flatten(before or {}), _flatten(after or {})
    paths = list(new) + [p for p in old if p not in new]
    changes = [
        FieldChange(path, old.get(path), new.get(path))
        for path in paths
        if old.get(path) != new.get(path) and not (_blank(old.get(path)) and _blank(new.get(path)))
    ]
    old_files, new_files = list((before or {}).get(ATTACHMENTS) or []), list((after or {}).get(ATTACHMENTS) or [])
    return FilingDiff(changes, _only_in(new_files, old_files), _only_in(old_files, new_files))
