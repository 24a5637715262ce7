"""Account pages (log-in), minimal until the pages land."""
from flask import Blueprint

bp = Blueprint("account", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    return "login"
