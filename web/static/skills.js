// skills.js: suggestions while typing a skill (input[data-suggest] on the profile's add-skill
// form), a combobox (combobox.js). It asks GET /api/skills/suggest?q= and offers the canonical
// names, so typing "k8s" offers Kubernetes. The form works without it: ken resolves names and
// aliases when it is sent.
(function () {
  'use strict';
  var count = 0;

  function enhance(input) {
    var list = document.createElement('ul');
    list.id = 'skill-suggest-' + (++count);
    list.className = 'skill-suggest';
    list.setAttribute('role', 'listbox');
    list.hidden = true;
    input.parentNode.appendChild(list);
    window.kenCombobox(input, list, {
      minLength: 1,
      items: function (data) { return data.skills || []; },
      render: function (s, li, span) {
        li.dataset.name = s.name;
        li.textContent = s.name;
        if (s.alias) li.appendChild(span('alias', ' (' + s.alias + ')'));
        if (s.category) li.appendChild(span('category', s.category));
      },
      pick: function (li) {
        input.value = li.dataset.name;
        input.focus();
      }
    });
  }

  document.querySelectorAll('form.skill-add input[data-suggest]').forEach(enhance);
})();
