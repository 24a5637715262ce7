"""TCR: the application factory, which reads like a table of contents."""

from __future__ import annotations

from flask import Flask

from app.config import PROJECT_ROOT, build_config


def create_app(config: dict | None = None) -> Flask:
    """Build the application from the environment, with optional overrides (tests).

    Every request commits (or rolls back) in one place, app/transaction.py."""
    from app.transaction import TransactionalFlask

    app = TransactionalFlask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(build_config(config))
    register_converters(app)
    register_extensions(app)
    register_security(app)
    register_blueprints(app)
    register_template_helpers(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_converters(app: Flask) -> None:
    """URL converters, before any route is added: `<int:...>` is a bounded database id everywhere."""
    from app.routing import IdConverter

    app.url_map.converters["int"] = IdConverter


def register_extensions(app: Flask) -> None:
    """Bind every extension of app.extensions to this application."""
    from app import extensions as ext
    from app.audit.services.checkpoints import init_checkpoints
    from app.auth.session import init_login
    from app.i18n import init_i18n
    from app.mail import init_mail

    ext.db.init_app(app)
    ext.migrate.init_app(
        app, ext.db, directory=str(PROJECT_ROOT / "migrations"), compare_type=True, render_as_batch=True
    )
    ext.csrf.init_app(app)
    ext.bootstrap.init_app(app)
    ext.limiter.init_app(app)
    init_login(app)
    init_i18n(app)
    init_mail(app)
    init_checkpoints(app)


def register_security(app: Flask) -> None:
    """Security headers on every response; the client address through the configured proxies only."""
    from app.security import init_security

    init_security(app)


def register_blueprints(app: Flask) -> None:
    """The API (flask-smorest) and the pages, by audience."""
    from app.accounts.members.views import bp as members_bp
    from app.accounts.views import bp as account_bp
    from app.api import init_api
    from app.brokers.views import bp as brokers_bp
    from app.certificates.views import bp as verify_bp
    from app.claims.views import bp as claims_bp
    from app.documents.views import bp as documents_bp
    from app.filing.views import bp as applicant_bp
    from app.imports.views import bp as imports_bp
    from app.income.views import bp as income_bp
    from app.messages.views import bp as messages_bp
    from app.public.health import bp as health_bp
    from app.public.views import bp as public_bp
    from app.review.views import bp as station_bp
    from app.stations.views import bp as bureau_bp
    from app.statistics.reports.views import bp as reports_bp
    from app.statistics.views import assessment_bp
    from app.statistics.views import bp as stats_bp
    from app.subsidies.views import bp as subsidies_bp
    from app.tax.views import bp as tax_bp
    from app.tax.views import bureau_bp as tax_bureau_bp
    from app.tax.views import station_bp as tax_station_bp

    init_api(app)
    app.register_blueprint(public_bp)
    app.register_blueprint(account_bp)
    app.register_blueprint(applicant_bp)
    app.register_blueprint(verify_bp)
    app.register_blueprint(station_bp)
    app.register_blueprint(bureau_bp)
    app.register_blueprint(tax_bp)
    app.register_blueprint(tax_station_bp)
    app.register_blueprint(tax_bureau_bp)
    app.register_blueprint(stats_bp)
    app.register_blueprint(assessment_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(claims_bp)
    app.register_blueprint(documents_bp)
    app.register_blueprint(messages_bp)
    app.register_blueprint(members_bp)
    app.register_blueprint(subsidies_bp)
    app.register_blueprint(income_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(brokers_bp)
    app.register_blueprint(imports_bp)


def register_template_helpers(app: Flask) -> None:
    """Jinja globals and filters, installed once here rather than by the blueprints that use them."""
    from app.web.templating import register_template_helpers as install

    install(app)


def register_errorhandlers(app: Flask) -> None:
    """One handler maps domain errors and HTTP errors to problem+json or an HTML page."""
    from app.problems import init_errors

    init_errors(app)


def register_commands(app: Flask) -> None:
    """The flask CLI groups: demo, users, tokens, audit."""
    from app.cli import init_cli

    init_cli(app)
