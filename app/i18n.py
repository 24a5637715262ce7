"""Language choice (Chinese first, English second) and the translation helpers every layer uses.

It imports nothing of the application, so that any module, from the services to the error pages, may use it."""

from __future__ import annotations

from flask import Flask, g, has_request_context, request, session
from flask_babel import Babel, get_locale, gettext, lazy_gettext

LOCALES = {"zh": "zh_Hans_CN", "en": "en"}
DEFAULT_LOCALE = "zh_Hans_CN"

babel = Babel()

t = gettext
lt = lazy_gettext


def select_locale() -> str:
    """?lang= (remembered in the session), else the API client's Accept-Language, else Chinese."""
    if not has_request_context():
        return DEFAULT_LOCALE
    chosen = request.args.get("lang")
    if chosen in LOCALES:
        if not request.path.startswith("/api/"):
            session["lang"] = chosen
        return LOCALES[chosen]
    if session.get("lang") in LOCALES:
        return LOCALES[session["lang"]]
    header = request.accept_languages.best_match(["zh", "en"]) if request.accept_languages else None
    if header == "en" and request.path.startswith("/api/"):
        return "en"
    return DEFAULT_LOCALE


def current_language() -> str:
    """'en' or 'zh': the short form that domain messages and labels take."""
    if has_request_context():
        locale = get_locale()
        return "en" if locale is not None and locale.language == "en" else "zh"
    return "zh"


def init_i18n(app: Flask) -> None:
    """Bind Flask-Babel with the selector, and expose the language to templates."""
    babel.init_app(app, locale_selector=select_locale)

    @app.context_processor
    def language_context():
        return {"lang": current_language()}

    @app.before_request
    def remember_language():
        g.lang = current_language()
