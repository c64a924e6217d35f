// Starts Swagger UI on the schema the page names. A file, not an inline script, so the docs page
// runs under the same Content-Security-Policy as every page of the service (script-src 'self').
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-schema-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    // The online validator would send the schema to a server outside the intranet.
    validatorUrl: null,
  });
})();
