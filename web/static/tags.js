// Tags as tokens: an <input data-tags> (a comma-separated list, which is what the form sends and
// what works without script) becomes a row of removable tags and a box to type the next one in.
// A comma or Enter ends a tag; a tag may hold spaces ("dev environment"). Backspace in the empty
// box takes the last tag back for editing. The list is sent in a hidden field named like the
// original input, joined with ", ", so the server reads exactly what it reads without script.
(function () {
  'use strict';

  function split(text) {
    return text.split(/[,\n]/).map((t) => t.trim().replace(/\s+/g, ' ')).filter((t) => t);
  }

  function enhance(input) {
    const hidden = document.createElement('input');
    hidden.type = 'hidden';
    hidden.name = input.name;
    input.removeAttribute('name');
    const list = document.createElement('ul');
    list.className = 'tag-tokens';
    const status = document.createElement('span');
    status.className = 'visually-hidden';
    status.setAttribute('aria-live', 'polite');
    const box = document.createElement('div');
    box.className = 'tag-input';
    input.parentNode.insertBefore(box, input);
    box.append(list, input, hidden, status);
    input.placeholder = 'Add a tag: type it, then comma or Enter';
    let tags = [];

    function sync() {
      hidden.value = tags.join(', ');
      list.replaceChildren(...tags.map((tag, i) => {
        const li = document.createElement('li');
        li.className = 'tag-token';
        const text = document.createElement('span');
        text.textContent = tag;
        const remove = document.createElement('button');
        remove.type = 'button';
        remove.className = 'tag-remove';
        remove.textContent = '×';
        remove.setAttribute('aria-label', `Remove tag ${tag}`);
        remove.addEventListener('click', () => {
          tags.splice(i, 1);
          sync();
          status.textContent = `Removed ${tag}`;
          input.focus();
        });
        li.append(text, remove);
        return li;
      }));
      list.hidden = tags.length === 0;
    }

    function add(text) {
      for (const tag of split(text)) {
        if (!tags.some((t) => t.toLowerCase() === tag.toLowerCase())) tags.push(tag);
        status.textContent = `Added ${tag}`;
      }
      sync();
    }

    function commit() {
      if (input.value.trim()) add(input.value);
      input.value = '';
    }

    add(input.value);
    input.value = '';
    input.addEventListener('keydown', (e) => {
      if ((e.key === 'Enter' || e.key === ',') && input.value.trim()) {
        e.preventDefault();
        commit();
      } else if (e.key === ',') {
        e.preventDefault();
      } else if (e.key === 'Backspace' && !input.value && tags.length) {
        e.preventDefault();
        input.value = tags.pop();
        sync();
      }
    });
    input.addEventListener('input', () => {
      if (input.value.includes(',')) { // pasted text with commas
        const parts = input.value.split(',');
        const rest = parts.pop();
        add(parts.join(','));
        input.value = rest.trimStart();
      }
    });
    input.addEventListener('blur', commit);
    if (input.form) input.form.addEventListener('submit', commit);
  }

  function start() {
    document.querySelectorAll('input[data-tags]').forEach(enhance);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
