/* Starts Swagger UI on /api/v1/docs from the container's data attributes (no inline script under the CSP). */
(function () {
  "use strict";
  var container = document.getElementById("swagger-ui-container");
  var config = JSON.parse(container.getAttribute("data-config") || "{}");
  config.url = container.getAttribute("data-spec-url");
  config.dom_id = "#swagger-ui-container";
  if (!("validatorUrl" in config)) { config.validatorUrl = null; }  // no badge fetched from another site
  window.ui = window.SwaggerUIBundle(config);
}());
