"""Findings: what a rule set says about a filing, with a stable code, a severity and bilingual text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    """Errors block submission, warnings must be acknowledged, notices only inform."""

    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"


SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTICE: 2}


@dataclass(frozen=True)
class Finding:
    """One result of a check; `code` names the rule, `field` the dotted path it concerns (or None)."""

    code: str
    severity: Severity
    field: str | None
    message_zh: str
    message_en: str

    def message(self, locale: str | None) -> str:
        """The message in English for an "en…" locale, in Chinese otherwise."""
        return self.message_en if (locale or "").lower().startswith("en") else self.message_zh

    def as_dict(self, locale: str | None) -> dict[str, str | None]:
        """The JSON shape of API.md: code, severity, field and the message in the locale."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "field": self.field,
            "message": self.message(locale),
        }


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    """The errors, which block submission."""
    return [f for f in findings if f.severity is Severity.ERROR]


def warnings(findings: Iterable[Finding]) -> list[Finding]:
    """The warnings, which the applicant must acknowledge by code."""
    return [f for f in findings if f.severity is Severity.WARNING]


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then warnings, then notices; the order within a severity is kept."""
    return sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity])
