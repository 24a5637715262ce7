"""The API's blueprint: flask-smorest's, with a request parser that refuses bodies of the wrong media type,
a `multipart` location (form fields and files in one schema) and the documented problems of each operation."""

from __future__ import annotations

from http import HTTPStatus

import flask_smorest
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.datastructures import CombinedMultiDict

from app.errors import UnsupportedMediaType
from app.i18n import t

MULTIPART = "multipart/form-data"
BINARY = {"type": "string", "format": "binary"}
TEXT = {"type": "string"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class StrictParser(FlaskParser):
    """A JSON body must say it is JSON (application/json or +json) and a multipart body must be multipart;
    anything else is a 415 and the view does not run.

    webargs reads a body of any other type as no body at all, so `title=x` sent as a form would have created
    an empty draft. An optional body (`arguments(..., required=False)`) may be left out altogether."""

    __location_map__ = {
        **FlaskParser.__location_map__,
        "optional_json": "load_optional_json",
        "multipart": "load_multipart",
    }

    def _raw_load_json(self, req):
        if not is_json_request(req):
            raise UnsupportedMediaType(t("Send the body as JSON (Content-Type: application/json)."))
        return core.parse_json(req.get_data(cache=True))

    def load_optional_json(self, req, schema):
        """The JSON body, or nothing (the schema's defaults) when the request has no body at all."""
        if not req.mimetype and not req.get_data(cache=True):
            return core.missing
        return self.load_json(req, schema)

    def load_multipart(self, req, schema):
        """Form fields and uploaded files of a multipart/form-data body, as one multidict; without any body
        the schema's required fields say what is missing."""
        if req.mimetype != MULTIPART and (req.mimetype or req.get_data(cache=True)):
            raise UnsupportedMediaType(t("Send the file as multipart/form-data."))
        return self._makeproxy(CombinedMultiDict([req.form, req.files]), schema)


class Blueprint(flask_smorest.Blueprint):
    """A flask-smorest blueprint parsing with StrictParser."""

    ARGUMENTS_PARSER = StrictParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
        **flask_smorest.Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "optional_json": "application/json",
        "multipart": MULTIPART,
    }

    def arguments(self, schema, *, location="json", required=True, **kwargs):
        """As flask-smorest's; a JSON body marked `required=False` may be left out (the schema's defaults)."""
        if location == "json" and not required:
            location = "optional_json"
        return super().arguments(schema, location=location, required=required, **kwargs)

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
                view = self.alt_response(
                    status, schema=schema, content_type=media_type, description=description, success=True
                )(view)
            return view

        return decorator
