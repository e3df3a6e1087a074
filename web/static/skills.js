// skills.js: suggestions while typing a skill (input[data-suggest] on the profile's add-skill
// form). It asks GET /api/skills/suggest?q= and offers the canonical names, so typing "k8s"
// offers Kubernetes. The form works without it: ken resolves names and aliases when it is sent.
(function () {
  'use strict';
  var count = 0;

  function enhance(input) {
    var id = 'skill-suggest-' + (++count);
    var list = document.createElement('ul');
    list.id = id;
    list.className = 'skill-suggest';
    list.setAttribute('role', 'listbox');
    list.hidden = true;
    input.parentNode.appendChild(list);
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', id);
    input.setAttribute('aria-expanded', 'false');
    var timer = null, asked = '', active = -1;

    function options() { return list.querySelectorAll('li'); }
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
    }
    function choose(li) {
      input.value = li.dataset.name;
      close();
      input.focus();
    }
    function show(skills) {
      list.textContent = '';
      skills.forEach(function (s, i) {
        var li = document.createElement('li');
        li.id = id + '-' + i;
        li.setAttribute('role', 'option');
        li.dataset.name = s.name;
        li.textContent = s.name;
        if (s.alias) {
          var why = document.createElement('span');
          why.className = 'alias';
          why.textContent = ' (' + s.alias + ')';
          li.appendChild(why);
        }
        if (s.category) {
          var cat = document.createElement('span');
          cat.className = 'category';
          cat.textContent = s.category;
          li.appendChild(cat);
        }
        li.addEventListener('mousedown', function (e) { e.preventDefault(); choose(li); });
        list.appendChild(li);
      });
      list.hidden = skills.length === 0;
      active = -1;
      input.setAttribute('aria-expanded', skills.length ? 'true' : 'false');
    }
    function ask() {
      var q = input.value.trim();
      if (q === asked) return;
      asked = q;
      if (!q) { close(); return; }
      fetch(input.dataset.suggest + '?q=' + encodeURIComponent(q),
            { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (res) { return res.ok ? res.json() : null; })
        .then(function (data) {
          if (data && input.value.trim() === q) show(data.skills || []);
        })
        .catch(function () { close(); });
    }

    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 120);
    });
    input.addEventListener('keydown', function (e) {
      if (list.hidden) return;
      if (e.key === 'ArrowDown') { e.preventDefault(); highlight(active + 1); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); highlight(active - 1); }
      else if (e.key === 'Escape') { close(); }
      else if (e.key === 'Enter' && active >= 0) { e.preventDefault(); choose(options()[active]); }
    });
    input.addEventListener('blur', close);
  }

  document.querySelectorAll('input[data-suggest]').forEach(enhance);
})();
