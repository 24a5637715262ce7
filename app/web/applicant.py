"""Applicant pages, minimal until the pages land."""
from flask import Blueprint

bp = Blueprint("applicant", __name__)
