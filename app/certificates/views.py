"""Public verification: a registration number with its check code, an uploaded certificate, the root CA."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from app.certificates import services as certificates
from app.errors import DomainError
from app.extensions import limiter
from app.files.http import read_upload

bp = Blueprint("verify", __name__)


@bp.route("/verify/<string:number>")
@limiter.limit("60 per minute")
def lookup(number: str):
    """The status of a registration: anyone holding the number and the printed check code sees the facts."""
    code = (request.args.get("c") or "").strip()[:32]
    contract, certificate = certificates.by_number_and_code(number, code)
    facts = certificates.public_facts(contract, certificate, number)
    return render_template("verify/lookup.html", facts=facts, number=number, code=code)


@bp.route("/verify", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def upload():
    """Upload a certificate (PDF or OFD) to check its signature or seal, its origin and its current status."""
    if request.method == "GET":
        return render_template("verify/upload.html", answer=None)
    try:
        answer = certificates.verify_upload(read_upload())
    except DomainError as error:
        return render_template("verify/upload.html", answer=None, error=error), error.status
    return render_template("verify/upload.html", answer=answer)


@bp.route("/.well-known/tcr/root-ca.pem")
def root_ca():
    """The bureau's root certificate, for validating certificates offline."""
    try:
        pem = certificates.root_certificate_pem()
    except OSError:
        return Response("root certificate not configured\n", status=404, mimetype="text/plain")
    return Response(
        pem, mimetype="application/x-pem-file", headers={"Content-Disposition": "inline; filename=tcr-root-ca.pem"}
    )


@bp.route("/.well-known/tcr/root-sm2.pem")
def sm2_root_ca():
    """The bureau's SM2 root certificate, for validating OFD seals offline."""
    try:
        pem = certificates.sm2_root_certificate_pem()
    except OSError:
        return Response("SM2 root certificate not configured\n", status=404, mimetype="text/plain")
    return Response(
        pem, mimetype="application/x-pem-file", headers={"Content-Disposition": "inline; filename=tcr-root-sm2.pem"}
    )
