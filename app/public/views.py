"""Pages for everyone: the home page, the service guide, the FAQ, the tax officers' help, verification by number."""

from __future__ import annotations

import re
import unicodedata

from flask import Blueprint, abort, redirect, render_template, request, url_for

from app.domain.catalogue import CATEGORIES, SUBTYPES
from app.domain.registration_number import parse_number
from app.i18n import t
from app.public import guide
from app.tax.services.exports import FIELD_DICTIONARY

bp = Blueprint("public", __name__)

CHECK_CODE_RE = re.compile(r"[23456789A-HJ-NP-Z]{8}")  # the alphabet certificates print (no 0/O, no 1/I)
_SEPARATORS = re.compile(r"[\s\-_.·/,，、]+")


@bp.route("/")
def home():
    """What TCR is, and where to start."""
    return render_template("public/home.html")


@bp.route("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico on their own: send them to the site's icon."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.route("/guide")
def guide_index():
    """The service guide: who files where, the time limits of the rule set in force, fees, where to ask."""
    return render_template(
        "public/guide_index.html",
        categories=guide.category_codes(),
        rule_set=guide.rule_set_in_force(),
        stations=guide.stations_with_areas(),
    )


@bp.route("/guide/<string:category>")
def guide_category(category: str):
    """The guide of one contract category: its sub-types, who files, the materials and the attachments."""
    if category not in CATEGORIES:
        abort(404)
    return render_template(
        "public/guide_category.html",
        category=category,
        subtypes=list(SUBTYPES[category]),
        filer=guide.FILERS[category],
        requirements=guide.attachment_requirements(category),
        recommended=guide.RECOMMENDED.get(category, ()),
        rule_set=guide.rule_set_in_force(),
        in_force=category in guide.category_codes(),
    )


@bp.route("/faq")
def faq():
    """Questions people ask the stations, answered."""
    return render_template("public/faq.html", rule_set=guide.rule_set_in_force())


@bp.route("/help/tax")
def tax_help():
    """For tax officers: the feed, the exports and how to check a manifest's signature."""
    return render_template("public/tax_help.html", fields=FIELD_DICTIONARY)


def normalise(typed: str | None) -> str:
    """What a person typed, as the registry writes it: full-width characters folded (NFKC), separators and spaces
    dropped, letters in upper case ("１３０４ 0220-26…" → "130402…")."""
    folded = unicodedata.normalize("NFKC", typed or "")
    return _SEPARATORS.sub("", folded).upper()[:64]


@bp.route("/verify/by-number")
def verify_number():
    """The form for a paper certificate: a well-formed number and code go to the registration's public page
    (the address its QR code carries); a mistyped one is shown again with what is wrong."""
    number, code = normalise(request.args.get("number")), normalise(request.args.get("c"))
    problems = {}
    if not number:
        problems["number"] = t("Enter the registration number printed on the certificate.")
    elif parse_number(number) is None:
        problems["number"] = t(
            "A registration number has 16 digits (station code, year, sequence); “%(typed)s” has %(count)s.",
            typed=number,
            count=len(number),
        )
    if not code:
        problems["c"] = t("Enter the check code printed beside the QR code.")
    elif not CHECK_CODE_RE.fullmatch(code):
        problems["c"] = t(
            "A check code has 8 characters, digits 2–9 and letters without I and O; “%(typed)s” is not one.",
            typed=code,
        )
    if problems:
        typed = {"number": number, "c": code}
        return render_template("verify/upload.html", answer=None, typed=typed, problems=problems), 400
    return redirect(url_for("verify.lookup", number=number, c=code))
