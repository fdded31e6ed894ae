// ReDoc on /api/redoc/, started without an inline script (CSP). The nonce of this response
// lets ReDoc's own <style> elements in (styled-components); nothing else on the page gets it.
"use strict";

(function () {
  const wadah = document.getElementById("redoc");
  window.Redoc.init(wadah.dataset.specUrl, { nonce: wadah.dataset.nonce }, wadah);
})();
