// Sends the chosen file as the raw request body (streamed by the browser), showing progress; the form still works
// without this script (multipart, streamed by the portal). The antiforgery token goes in a header.
(function () {
  'use strict';
  var form = document.getElementById('upload');
  if (!form || !window.XMLHttpRequest) { return; }
  var progress = document.getElementById('progress');
  var status = document.getElementById('upload-status');
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var file = form.elements.file.files[0];
    if (!file) { status.textContent = form.dataset.nofile; return; }
    if (file.size > Number(form.dataset.max)) { status.textContent = form.dataset.toolarge; return; }
    var token = form.querySelector('input[name="__RequestVerificationToken"]').value;
    var url = '/drops/upload?dataset=' + encodeURIComponent(form.elements.dataset.value) + '&name=' + encodeURIComponent(file.name);
    var xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Content-Type', 'text/csv');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('RequestVerificationToken', token);
    var lastAnnounced = -1;
    xhr.upload.addEventListener('progress', function (e) {
      if (!e.lengthComputable) { return; }
      var pct = Math.floor(e.loaded * 100 / e.total);
      progress.value = pct;
      if (pct >= lastAnnounced + 25 || pct === 100) { lastAnnounced = pct; status.textContent = pct + '%'; }
    });
    xhr.addEventListener('load', function () {
      var body = {};
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = {}; }
      if (xhr.status === 202 && body.report) {
        progress.value = 100;
        status.textContent = form.dataset.done;
        window.location.assign(body.report);
      } else {
        status.textContent = form.dataset.failed + ': ' + (body.detail || xhr.status);
      }
    });
    xhr.addEventListener('error', function () { status.textContent = form.dataset.failed; });
    xhr.send(file);
  });
}());
