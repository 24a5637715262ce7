"""The station's page blueprint, shared by the queue and the review page's modules."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("station", __name__, url_prefix="/station")
