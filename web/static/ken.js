// ken.js: small progressive enhancements; every page works without it.
// Upload forms (form.upload): files dropped on the form are sent one by one, exactly as the
// form would send them (the same fields, CSRF token included); then the page the server
// answers with is shown. Without JavaScript the plain form does the same for one file.
(function () {
  'use strict';

  function hasFiles(e) {
    return e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types, 'Files') >= 0;
  }

  // The message of one of ken's error pages, or a short fallback.
  function errorText(res, html) {
    var doc = new DOMParser().parseFromString(html, 'text/html');
    var msg = doc.querySelector('.message');
    return 'Upload failed (' + res.status + '): ' +
      (msg ? msg.textContent.trim() : res.statusText || 'no answer');
  }

  function enhance(form) {
    var zone = form.querySelector('.dropzone') || form;
    var status = form.querySelector('.upload-status');
    var hint = form.querySelector('.drop-hint');
    var say = function (text) { if (status) status.textContent = text; };
    if (hint) hint.hidden = false;

    function send(files) {
      var i = 0, last = null;
      function next() {
        if (i >= files.length) {
          // Show the page the server answered with; reload when only its #fragment would change.
          var here = window.location.href.split('#')[0];
          if (!last || last.split('#')[0] === here) window.location.reload();
          else window.location.assign(last);
          return;
        }
        var file = files[i++];
        var data = new FormData();
        form.querySelectorAll('input[type=hidden]').forEach(function (f) {
          data.append(f.name, f.value);
        });
        data.append('file', file, file.name);
        say('Uploading ' + file.name + (files.length > 1 ? ' (' + i + ' of ' + files.length + ')' : '') + '…');
        fetch(form.action, { method: 'POST', body: data, credentials: 'same-origin' })
          .then(function (res) {
            if (res.ok) {
              last = res.url;
              next();
              return null;
            }
            return res.text().then(function (html) { say(errorText(res, html)); });
          })
          .catch(function () { say('Upload failed: ken could not be reached.'); });
      }
      next();
    }

    ['dragenter', 'dragover'].forEach(function (type) {
      zone.addEventListener(type, function (e) {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        zone.classList.add('over');
      });
    });
    zone.addEventListener('dragleave', function (e) {
      if (!zone.contains(e.relatedTarget)) zone.classList.remove('over');
    });
    zone.addEventListener('drop', function (e) {
      zone.classList.remove('over');
      if (!hasFiles(e)) return;
      e.preventDefault();
      send(Array.prototype.slice.call(e.dataTransfer.files));
    });
  }

  document.querySelectorAll('form.upload').forEach(enhance);
})();

// The org chart (/org): buttons to open or fold everyone's reports at once (without script, the
// "Open everyone" link reloads the chart with everything open).
(function () {
  'use strict';
  var chart = document.querySelector('.org-chart');
  if (!chart) return;
  var link = document.querySelector('.org-open-link');
  if (link) link.hidden = true; /* the buttons below do the same without reloading */
  document.querySelectorAll('.org-toggle').forEach(function (b) {
    b.hidden = false;
    b.addEventListener('click', function () {
      var open = b.dataset.open === '1';
      chart.querySelectorAll('details').forEach(function (d) { d.open = open; });
    });
  });
})();
