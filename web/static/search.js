// search.js: the header search box as a combobox. After two characters it asks
// GET /api/suggest?q= (debounced) and lists matching page titles; Up/Down move through them,
// Enter opens the chosen page, Escape closes the list. With nothing chosen, Enter submits the
// form to /search as it does without JavaScript.
// Result links on /search (a[data-click]) are sent through /search/click when followed, so
// ken learns which results people open; without JavaScript they go straight to the page.
(function () {
  'use strict';

  function enhance(input) {
    var list = document.getElementById(input.getAttribute('aria-controls') || 'search-suggest');
    if (!list) return;
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', list.id);
    input.setAttribute('aria-expanded', 'false');
    var timer = null, asked = '', active = -1, seq = 0;

    function options() { return list.querySelectorAll('[role=option]'); }
    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
    }
    function highlight(i) {
      var opts = options();
      if (!opts.length) return;
      active = (i + opts.length) % opts.length;
      opts.forEach(function (o, j) { o.setAttribute('aria-selected', j === active ? 'true' : 'false'); });
      input.setAttribute('aria-activedescendant', opts[active].id);
      opts[active].scrollIntoView({ block: 'nearest' });
    }
    function open(li) { window.location.assign(li.dataset.url); }
    function show(items) {
      list.textContent = '';
      items.forEach(function (item, i) {
        var li = document.createElement('li');
        li.id = list.id + '-' + i;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.dataset.url = item.url;
        var title = document.createElement('span');
        title.className = 'suggest-title';
        title.textContent = item.title;
        var path = document.createElement('span');
        path.className = 'suggest-path';
        path.textContent = item.path;
        li.appendChild(title);
        li.appendChild(path);
        li.addEventListener('mousedown', function (e) { e.preventDefault(); open(li); });
        list.appendChild(li);
      });
      active = -1;
      input.removeAttribute('aria-activedescendant');
      list.hidden = items.length === 0;
      input.setAttribute('aria-expanded', items.length ? 'true' : 'false');
    }
    function ask() {
      var q = input.value.trim();
      if (q === asked) return;
      asked = q;
      if (q.length < 2) { close(); return; }
      var mine = ++seq;
      fetch(input.dataset.suggest + '?q=' + encodeURIComponent(q),
            { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (res) { return res.ok ? res.json() : null; })
        .then(function (data) {
          // only the answer to the latest question, and only while the box still holds it
          if (data && mine === seq && input.value.trim() === q) show(data.items || []);
        })
        .catch(function () { close(); });
    }

    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 120);
    });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') {
        if (!list.hidden) { e.preventDefault(); close(); }
        return;
      }
      if (list.hidden) {
        if (e.key === 'ArrowDown' && options().length) { e.preventDefault(); list.hidden = false; input.setAttribute('aria-expanded', 'true'); highlight(0); }
        return;
      }
      if (e.key === 'ArrowDown') { e.preventDefault(); highlight(active + 1); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); highlight(active - 1); }
      else if (e.key === 'Enter' && active >= 0) { e.preventDefault(); open(options()[active]); }
    });
    input.addEventListener('blur', close);
  }

  function track(a) {
    var follow = function () { if (a.dataset.click) a.href = a.dataset.click; };
    a.addEventListener('click', follow);
    a.addEventListener('auxclick', follow);
  }

  function start() {
    document.querySelectorAll('input[data-suggest]').forEach(enhance);
    document.querySelectorAll('a[data-click]').forEach(track);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
