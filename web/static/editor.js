// editor.js: the page editor's enhancements; the editor works without it (a plain form whose
// Preview button asks the server).
// - A Markdown toolbar (bold, italic, heading, link, list, code, table, image) and shortcuts:
//   Ctrl+B, Ctrl+I, Ctrl+K (link), Ctrl+Enter (save).
// - A live preview beside the text on wide screens (below it on narrow ones, behind the
//   Preview toggle), rendered by the server (POST /api/preview) exactly as the page will be.
// - Files dropped or pasted into the text are uploaded (to the page, or for a page not saved yet
//   to its draft, which its first save attaches) and linked where the cursor is.
// - Resolving a conflict (.merge-conflict): choosing yours, theirs or both fills the block's
//   text box with that text, and typing in the box chooses "this text".
(function () {
  'use strict';

  var form = document.getElementById('edit-form');
  var text = document.getElementById('edit-markdown');
  var csrf = form && form.querySelector('input[name=csrf]');

  // ---- the toolbar

  // Wraps the selection in `before` and `after` (or inserts them around `fallback`), keeping
  // the wrapped text selected.
  function wrap(before, after, fallback) {
    var s = text.selectionStart, e = text.selectionEnd;
    var inner = text.value.slice(s, e) || fallback;
    text.setRangeText(before + inner + after, s, e, 'select');
    text.setSelectionRange(s + before.length, s + before.length + inner.length);
    changed();
  }

  // Puts `prefix` at the start of every selected line (or the cursor's line).
  function prefixLines(prefix) {
    var v = text.value, s = v.lastIndexOf('\n', text.selectionStart - 1) + 1;
    var e = text.selectionEnd, end = v.indexOf('\n', e);
    if (end < 0) end = v.length;
    var lines = v.slice(s, end).split('\n').map(function (l) { return prefix + l; }).join('\n');
    text.setRangeText(lines, s, end, 'end');
    changed();
  }

  // Inserts a block on lines of its own at the cursor.
  function block(md) {
    var s = text.selectionStart, v = text.value;
    var pre = s > 0 && v[s - 1] !== '\n' ? '\n\n' : (s > 1 && v[s - 2] !== '\n' ? '\n' : '');
    text.setRangeText(pre + md + '\n', s, text.selectionEnd, 'end');
    changed();
  }

  var actions = {
    bold: function () { wrap('**', '**', 'bold text'); },
    italic: function () { wrap('_', '_', 'italic text'); },
    heading: function () { prefixLines('## '); },
    link: function () {
      var sel = text.value.slice(text.selectionStart, text.selectionEnd);
      if (/^(https?:\/\/|\/)\S*$/.test(sel)) wrap('[link text](', ')', '');
      else wrap('[', '](https://)', sel ? '' : 'link text');
    },
    list: function () { prefixLines('- '); },
    code: function () {
      var sel = text.value.slice(text.selectionStart, text.selectionEnd);
      if (sel && sel.indexOf('\n') < 0) { wrap('`', '`', ''); return; }
      // A code block on lines of its own, with what was selected (or "code") selected in it.
      block('```\n' + (sel || 'code') + '\n```');
      var at = text.selectionStart - 5 - (sel || 'code').length;
      text.setSelectionRange(at, at + (sel || 'code').length);
    },
    table: function () { block('| Column | Column |\n| --- | --- |\n| Text | Text |'); },
    image: function () { var f = form.querySelector('.md-file'); if (f) f.click(); },
  };

  // ---- the live preview

  var preview = document.getElementById('edit-preview');
  var area = form && form.querySelector('.write-area');
  var timer = null, asked = 0;

  function previewBody() {
    var data = new URLSearchParams();
    ['markdown', 'title', 'space', 'page', 'new_space', 'draft', 'csrf'].forEach(function (n) {
      var f = form.elements[n];
      if (f && f.value !== undefined) data.append(n, f.value);
    });
    if (text.dataset.path) data.append('edit_path', text.dataset.path);
    return data;
  }

  function refresh() {
    if (!preview || preview.hidden) return;
    var mine = ++asked;
    fetch(text.dataset.preview, {
      method: 'POST', credentials: 'same-origin', body: previewBody(),
      headers: { 'X-CSRF-Token': csrf.value },
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (j) {
      if (j && mine === asked) preview.querySelector('.markdown').innerHTML = j.html;
    }).catch(function () { /* the Preview button still works */ });
  }

  function changed() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 350);
  }

  var wide = window.matchMedia('(min-width: 1000px)');
  function showPreview(on) {
    if (!preview) return;
    preview.hidden = !on;
    area.classList.toggle('previewing', on);
    // A narrow screen has no room beside the text: the preview takes its place until toggled back.
    text.hidden = on && !wide.matches;
    var t = form.querySelector('.md-preview-toggle');
    if (t) t.setAttribute('aria-pressed', on ? 'true' : 'false');
    if (on) refresh();
  }

  // ---- files dropped or pasted

  var status = form && form.querySelector('.upload-status');
  function say(msg) { if (status) status.textContent = msg; }

  function upload(file, name) {
    say('Uploading ' + name + '…');
    var url = text.dataset.upload + '?name=' + encodeURIComponent(name);
    return fetch(url, {
      method: 'POST', credentials: 'same-origin', body: file,
      headers: { 'Content-Type': 'application/octet-stream', 'X-CSRF-Token': csrf.value },
    }).then(function (r) {
      return r.text().then(function (body) {
        var j = null;
        try { j = JSON.parse(body); } catch (e) { /* an error page */ }
        if (!r.ok) throw new Error((j && j.error) || ('the upload failed (' + r.status + ')'));
        return j;
      });
    }).then(function (j) {
      var image = j.image !== undefined ? j.image : /^image\/(png|jpeg|gif|webp)$/.test(j.content_type);
      var alt = j.name.replace(/\.[^.]*$/, '').replace(/[-_]+/g, ' ');
      block(image ? '![' + alt + '](' + j.name + ')' : '[' + j.name + '](' + j.name + ')');
      say('Added ' + j.name + '.');
    }).catch(function (e) { say('Could not add ' + name + ': ' + e.message); });
  }

  // A name ken accepts (A-Z a-z 0-9 . _ -), made from a file's name.
  function safeName(file, i) {
    var n = (file.name || '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '');
    if (!n || n === 'image.png' || n === 'image') {
      var ext = (file.type.split('/')[1] || 'bin').replace(/[^a-z0-9]/g, '');
      n = 'pasted-' + new Date().toISOString().replace(/[^0-9]/g, '').slice(0, 14) + (i ? '-' + i : '') + '.' + ext;
    }
    return n.slice(-100);
  }

  function uploadAll(files) {
    var list = Array.prototype.slice.call(files), i = 0;
    (function next() {
      if (i >= list.length) return;
      var f = list[i];
      upload(f, safeName(f, i++)).then(next);
    })();
  }

  // ---- wiring

  if (form && text) {
    var bar = form.querySelector('.md-toolbar');
    if (bar) {
      bar.hidden = false;
      bar.addEventListener('click', function (e) {
        var b = e.target.closest('button[data-md]');
        if (b && actions[b.dataset.md]) { text.focus(); actions[b.dataset.md](); }
      });
      var toggle = bar.querySelector('.md-preview-toggle');
      if (toggle) toggle.addEventListener('click', function () { showPreview(preview.hidden); });
      var picker = bar.querySelector('.md-file');
      if (picker) picker.addEventListener('change', function () { uploadAll(picker.files); picker.value = ''; });
    }
    var hint = form.querySelector('.drop-hint');
    if (hint) hint.hidden = false;
    // Ctrl+Enter saves from any field of the form; the formatting keys work in the text.
    form.addEventListener('keydown', function (e) {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key === 'Enter') {
        e.preventDefault();
        var save = form.querySelector('button[name=save]');
        if (save) save.click();
      }
    });
    text.addEventListener('keydown', function (e) {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      var k = e.key.toLowerCase();
      if (k === 'b' || k === 'i' || k === 'k') {
        e.preventDefault();
        actions[{ b: 'bold', i: 'italic', k: 'link' }[k]]();
      }
    });
    text.addEventListener('input', changed);
    ['title', 'space', 'page', 'new_space'].forEach(function (n) {
      if (form.elements[n]) form.elements[n].addEventListener('change', changed);
    });
    text.addEventListener('dragover', function (e) {
      if (e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types, 'Files') >= 0) {
        e.preventDefault();
        text.classList.add('dropping');
      }
    });
    text.addEventListener('dragleave', function () { text.classList.remove('dropping'); });
    text.addEventListener('drop', function (e) {
      text.classList.remove('dropping');
      if (!e.dataTransfer || !e.dataTransfer.files.length) return;
      e.preventDefault();
      uploadAll(e.dataTransfer.files);
    });
    text.addEventListener('paste', function (e) {
      var files = e.clipboardData && e.clipboardData.files;
      if (!files || !files.length) return;
      e.preventDefault();
      uploadAll(files);
    });
    // Side by side on wide screens from the start; on narrow ones the toggle shows it.
    if (preview && wide.matches) showPreview(true);
  }

  // A new page: the new space's name matters only with "A new space…".
  var space = document.getElementById('edit-space');
  var newSpace = form && form.querySelector('.new-space');
  function spaceChanged() { if (newSpace) newSpace.hidden = space.value !== '+new'; }
  if (space) { space.addEventListener('change', spaceChanged); spaceChanged(); }

  // ---- resolving a conflict

  function enhanceConflict(set) {
    var box = set.querySelector('.merge-edit textarea');
    var mine = set.querySelector('pre[data-side=mine]').textContent;
    var theirs = set.querySelector('pre[data-side=theirs]').textContent;
    var texts = { mine: mine, theirs: theirs, both: mine + theirs };
    set.querySelectorAll('input[type=radio]').forEach(function (radio) {
      radio.addEventListener('change', function () {
        if (radio.checked && texts[radio.value] !== undefined) box.value = texts[radio.value];
        set.dataset.pick = radio.value;
      });
      if (radio.checked) set.dataset.pick = radio.value;
    });
    box.addEventListener('input', function () {
      var edit = set.querySelector('input[type=radio][value=edit]');
      if (edit && !edit.checked) { edit.checked = true; set.dataset.pick = 'edit'; }
    });
  }

  document.querySelectorAll('.merge-conflict').forEach(enhanceConflict);
})();
