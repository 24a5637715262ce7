"""The demo's Beijing and Tianjin imports: written through the imports' service, once, and visible as absorption."""

from __future__ import annotations

from decimal import Decimal

from app.demo.absorption import seed_absorption
from app.domain.clock import today_local
from app.extensions import db
from app.imports.services import absorption
from app.models import User


def test_the_demo_imports_beijing_and_tianjin_once_and_the_figures_show_them(app, make_account):
    bureau = make_account("bureau")
    with app.app_context():
        user = db.session.get(User, bureau.id)
        assert seed_absorption(user) == 6
        assert seed_absorption(user) == 0  # a second seed leaves the imports as they are
        year = today_local().year
        this, last = absorption.figures(user, year), absorption.figures(user, year - 1)
        assert this.imported.count + last.imported.count == 6  # the demo rows lie in this year and the last
        assert {s for f in (this, last) for s, figures in f.by_source.items() if figures.count} >= {
            "beijing",
            "tianjin",
        }
        assert this.beijing_tianjin[year - 1].technical_amount + this.beijing_tianjin[year].technical_amount == Decimal(
            "9420000.00"
        )
        assert all(code.startswith("1304") for code in this.by_county)
