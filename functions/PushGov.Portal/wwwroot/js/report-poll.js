// While a drop is being ingested, ask again every 2 s and show the report once it exists (no reload before that).
(function () {
  'use strict';
  var tries = 0;
  function check() {
    tries += 1;
    fetch(window.location.href, { credentials: 'same-origin' }).then(function (r) { return r.text(); }).then(function (html) {
      if (html.indexOf('data-ready="true"') >= 0) { window.location.reload(); } else if (tries < 300) { window.setTimeout(check, 2000); }
    }).catch(function () { if (tries < 300) { window.setTimeout(check, 5000); } });
  }
  window.setTimeout(check, 1000);
}());
