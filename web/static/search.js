// search.js: the header search box as a combobox (combobox.js). After two characters it asks
// GET /api/suggest?q= and lists matching page titles; Up/Down move through them, Enter opens the
// chosen page, Escape closes the list. With nothing chosen, Enter submits the form to /search as
// it does without JavaScript.
// Result links on /search (a[data-click]) are sent through /search/click when followed, so
// ken learns which results people open; without JavaScript they go straight to the page.
(function () {
  'use strict';

  function enhance(input) {
    var list = document.getElementById(input.getAttribute('aria-controls') || 'search-suggest');
    if (!list) return;
    window.kenCombobox(input, list, {
      minLength: 2,
      items: function (data) { return data.items || []; },
      render: function (item, li, span) {
        li.dataset.url = item.url;
        li.appendChild(span('suggest-title', item.title));
        li.appendChild(span('suggest-path', item.path));
      },
      pick: function (li) { window.location.assign(li.dataset.url); }
    });
  }

  function track(a) {
    var follow = function () { if (a.dataset.click) a.href = a.dataset.click; };
    a.addEventListener('click', follow);
    a.addEventListener('auxclick', follow);
  }

  function start() {
    // the header's box; other boxes with suggestions (skills.js) have their own script
    document.querySelectorAll('form.search input[data-suggest]').forEach(enhance);
    document.querySelectorAll('a[data-click]').forEach(track);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
