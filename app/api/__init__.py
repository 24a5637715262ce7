"""The JSON API under /api/v1 (flask-smorest): parse, check access, call one service, serialise."""

from __future__ import annotations

from flask import Flask, g, request, send_from_directory
from flask_login import current_user

from app.extensions import api, csrf
from app.routing import IdConverter, id_parameter_schema

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def init_api(app: Flask) -> None:
    """Register the API blueprints; bearer-token calls skip CSRF, session calls do not."""
    from app.accounts.members.api import blp as members_blp
    from app.brokers.api import blp as brokers_blp
    from app.certificates.api import blp as certificates_blp
    from app.documents.api import blp as documents_blp
    from app.filing.api import blp as contracts_blp
    from app.imports.api import blp as imports_blp
    from app.income.api import blp as income_blp
    from app.messages.api import blp as messages_blp
    from app.requests.api import blp as requests_blp
    from app.review.api import blp as review_blp
    from app.statistics.api import assessment_blp
    from app.statistics.api import blp as stats_blp
    from app.statistics.reports.api import blp as reports_blp
    from app.subsidies.api import blp as subsidies_blp
    from app.tax.api import answers_blp as tax_answers_blp
    from app.tax.api import exports_blp as tax_exports_blp
    from app.tax.api import feed_blp as tax_feed_blp

    api.init_app(app)
    api.register_converter(IdConverter, id_parameter_schema)  # ids in paths, with their bounds
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    api.register_blueprint(contracts_blp, url_prefix="/api/v1/contracts")
    api.register_blueprint(review_blp, url_prefix="/api/v1/contracts")
    csrf.exempt(contracts_blp)
    api.register_blueprint(certificates_blp, url_prefix="/api/v1")
    csrf.exempt(review_blp)
    csrf.exempt(certificates_blp)
    api.register_blueprint(documents_blp, url_prefix="/api/v1/contracts")
    csrf.exempt(documents_blp)
    api.register_blueprint(tax_exports_blp, url_prefix="/api/v1/tax")
    csrf.exempt(tax_exports_blp)
    api.register_blueprint(tax_feed_blp, url_prefix="/api/v1/tax")
    csrf.exempt(tax_feed_blp)
    api.register_blueprint(tax_answers_blp, url_prefix="/api/v1")
    csrf.exempt(tax_answers_blp)
    api.register_blueprint(stats_blp, url_prefix="/api/v1/stats")
    csrf.exempt(stats_blp)
    api.register_blueprint(assessment_blp, url_prefix="/api/v1/assessment")
    csrf.exempt(assessment_blp)
    api.register_blueprint(reports_blp, url_prefix="/api/v1/reports")
    csrf.exempt(reports_blp)
    api.register_blueprint(messages_blp, url_prefix="/api/v1/messages")
    csrf.exempt(messages_blp)
    api.register_blueprint(members_blp, url_prefix="/api/v1/organisation/members")
    csrf.exempt(members_blp)
    api.register_blueprint(requests_blp, url_prefix="/api/v1")
    csrf.exempt(requests_blp)
    api.register_blueprint(brokers_blp, url_prefix="/api/v1/brokers")
    csrf.exempt(brokers_blp)
    api.register_blueprint(subsidies_blp, url_prefix="/api/v1")
    csrf.exempt(subsidies_blp)
    api.register_blueprint(income_blp, url_prefix="/api/v1")
    csrf.exempt(income_blp)
    api.register_blueprint(imports_blp, url_prefix="/api/v1/imports")
    csrf.exempt(imports_blp)
    app.add_url_rule("/api/v1/docs/assets/<path:filename>", "api_docs_assets", swagger_ui_asset)

    @app.before_request
    def csrf_for_browser_sessions():
        if request.method in SAFE_METHODS or not request.path.startswith("/api/"):
            return
        if current_user.is_authenticated and g.get("auth_method") != "token":
            csrf.protect()


def swagger_ui_asset(filename: str):
    """Swagger UI's own files, from the swagger-ui-bundle package: the interactive page works offline."""
    from swagger_ui_bundle import swagger_ui_path

    return send_from_directory(str(swagger_ui_path), filename, max_age=86400)
