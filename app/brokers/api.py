"""Technology brokers (API.md "Technology brokers"): anyone signed in lists the active ones, to name them on a
filing; the bureau registers them, sees every standing, suspends, reinstates and revokes."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user

from app.api.blueprint import Blueprint
from app.auth.permissions import Permission, require, signed_in
from app.brokers import services as brokers
from app.brokers.schemas import BrokerIn, BrokerListArgs, BrokerOut, BrokerPage, StatusIn

blp = Blueprint("brokers_api", __name__, description="Technology brokers and managers registered by the bureau")


@blp.route("")
class BrokerCollection(MethodView):
    """The registry of technology brokers and managers."""

    @signed_in
    @blp.arguments(BrokerListArgs, location="query")
    @blp.response(200, BrokerPage)
    @blp.problems(401)
    def get(self, args):
        """List brokers by name (filters status, kind, q): the bureau sees every status, anyone else the active."""
        limit, offset = args.pop("limit"), args.pop("offset")
        return {"items": brokers.list_brokers(current_user, brokers.BrokerFilters(**args), limit, offset)}

    @require(Permission.BROKER_MANAGE)
    @blp.arguments(BrokerIn)
    @blp.response(201, BrokerOut)
    @blp.problems(400, 401, 403, 409, 415)
    def post(self, data):
        """Register a broker (bureau): the resident ID number is checked and only ever shown masked; a
        certificate number registered before is a 409."""
        return brokers.register(current_user, data)


@blp.route("/<int:broker_id>")
class BrokerItem(MethodView):
    """One broker (bureau)."""

    @require(Permission.BROKER_MANAGE)
    @blp.response(200, BrokerOut)
    @blp.problems(401, 403, 404)
    def get(self, broker_id):
        """The broker's registration."""
        return brokers.load(current_user, broker_id)

    @require(Permission.BROKER_MANAGE)
    @blp.arguments(StatusIn)
    @blp.response(200, BrokerOut)
    @blp.problems(400, 401, 403, 404, 409, 415)
    def patch(self, data, broker_id):
        """Suspend, reinstate or revoke the broker (audited); revoked is final (409). Filings already naming the
        broker keep them."""
        broker = brokers.load(current_user, broker_id)
        return brokers.change_status(current_user, broker, data["status"], data.get("note"))
