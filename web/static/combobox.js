// combobox.js: a text box that offers suggestions while typing (the ARIA combobox pattern), for
// the header search (search.js) and the skill field (skills.js). Loaded on every page before them.
//
// window.kenCombobox(input, list, opts) makes `input` control `list` (a <ul>). Once the trimmed
// text has opts.minLength characters it asks input.dataset.suggest + '?q=' (after a pause in the
// typing; only the answer to the latest text is shown), takes the suggestions from
// opts.items(answer) and lets opts.render(item, li, span) fill each <li> (span(className, text)
// makes a <span>). Up and Down move through them (Down also reopens a closed list), Escape
// closes the list, Enter or a click chooses one: the list closes and opts.pick(li) acts on it.
// Enter with nothing chosen is left to the form.
(function () {
  'use strict';

  function span(className, text) {
    var s = document.createElement('span');
    s.className = className;
    s.textContent = text;
    return s;
  }

  window.kenCombobox = function (input, list, opts) {
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
      var all = options();
      if (!all.length) return;
      active = (i + all.length) % all.length;
      all.forEach(function (o, j) { o.setAttribute('aria-selected', j === active ? 'true' : 'false'); });
      input.setAttribute('aria-activedescendant', all[active].id);
      all[active].scrollIntoView({ block: 'nearest' });
    }
    function choose(li) {
      close();
      opts.pick(li);
    }
    function show(items) {
      list.textContent = '';
      items.forEach(function (item, i) {
        var li = document.createElement('li');
        li.id = list.id + '-' + i;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        opts.render(item, li, span);
        li.addEventListener('mousedown', function (e) { e.preventDefault(); choose(li); });
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
      if (q.length < opts.minLength) { close(); return; }
      var mine = ++seq;
      fetch(input.dataset.suggest + '?q=' + encodeURIComponent(q),
            { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (res) { return res.ok ? res.json() : null; })
        .then(function (data) {
          // only the answer to the latest question, and only while the box still holds it
          if (data && mine === seq && input.value.trim() === q) show(opts.items(data));
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
        if (e.key === 'ArrowDown' && options().length) {
          e.preventDefault();
          list.hidden = false;
          input.setAttribute('aria-expanded', 'true');
          highlight(0);
        }
        return;
      }
      if (e.key === 'ArrowDown') { e.preventDefault(); highlight(active + 1); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); highlight(active - 1); }
      else if (e.key === 'Enter' && active >= 0) { e.preventDefault(); choose(options()[active]); }
    });
    input.addEventListener('blur', close);
  };
})();
