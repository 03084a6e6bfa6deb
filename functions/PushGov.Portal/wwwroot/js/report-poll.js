// While a drop is being ingested, ask again every 2 s: show how far it has got (when the report says so) and the report
// once it is finished (no reload before that).
(function () {
  'use strict';
  var tries = 0;
  function showProgress(html) {
    var now = document.getElementById('report-progress');
    var next = new DOMParser().parseFromString(html, 'text/html').getElementById('report-progress');
    if (next && now) { now.replaceWith(next); } else if (next) { document.getElementById('report-waiting').after(next); }
  }
  function check() {
    tries += 1;
    fetch(window.location.href, { credentials: 'same-origin' }).then(function (r) { return r.text(); }).then(function (html) {
      if (html.indexOf('data-ready="true"') >= 0) { window.location.reload(); return; }
      showProgress(html);
      if (tries < 300) { window.setTimeout(check, 2000); }
    }).catch(function () { if (tries < 300) { window.setTimeout(check, 5000); } });
  }
  window.setTimeout(check, 1000);
}());
