"""The API's blueprint: flask-smorest's, with a request parser that refuses bodies of the wrong media type,
a `multipart` location (form fields and files in one schema) and the documented problems of each operation."""
from __future__ import annotations

from http import HTTPStatus

import flask_smorest
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.datastructures import CombinedMultiDict

from app.errors import UnsupportedMediaType
from app.web.i18n import t

MULTIPART = "multipart/form-data"
BINARY = {"type": "string", "format": "binary"}
TEXT = {"type": "string"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class StrictParser(FlaskParser):
    """A JSON body must say it is JSON (application/json or +json); a multipart body must be multipart.
    A request without any body is read as empty, so the schema's required fields say what is missing.

    webargs reads a body of any other type as "no body", so `title=x` sent as a form would have created an
    empty draft; here it is a 415 and nothing runs."""

    __location_map__ = {**FlaskParser.__location_map__, "multipart": "load_multipart"}

    def _raw_load_json(self, req):
        if is_json_request(req):
            return core.parse_json(req.get_data(cache=True))
        if req.mimetype or req.get_data(cache=True):
            raise UnsupportedMediaType(t("Send the body as JSON (Content-Type: application/json)."))
        return core.missing  # no body at all: the schema's defaults apply

    def load_multipart(self, req, schema):
        """Form fields and uploaded files of a multipart/form-data body, as one multidict."""
        if req.mimetype != MULTIPART and (req.mimetype or req.get_data(cache=True)):
            raise UnsupportedMediaType(t("Send the file as multipart/form-data."))
        return self._makeproxy(CombinedMultiDict([req.form, req.files]), schema)


class Blueprint(flask_smorest.Blueprint):
    """A flask-smorest blueprint parsing with StrictParser."""

    ARGUMENTS_PARSER = StrictParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
        **flask_smorest.Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING, "multipart": MULTIPART,
    }

    def problems(self, *statuses: int):
        """Document the problem+json answers an operation can give (401, 403, 404, 409, 413, 415, 422, ...)."""

        def decorator(view):
            for status in statuses:
                view = self.alt_response(status, response=HTTPStatus(status).name)(view)
            return view

        return decorator

    def files(self, media_types: dict[str, dict], description: str, status: int = 200):
        """Document a success answer that is a file: one schema per media type it may come as."""

        def decorator(view):
            for media_type, schema in media_types.items():
                view = self.alt_response(status, schema=schema, content_type=media_type, description=description,
                                         success=True)(view)
            return view

        return decorator
