"""Pages for everyone: the home page."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("public", __name__)


@bp.route("/")
def home():
    """What TCR is, and where to start."""
    return render_template("public/home.html")
