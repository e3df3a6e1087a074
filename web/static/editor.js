// editor.js: the page editor's enhancements; the editor works without it.
// Resolving a conflict (.merge-conflict): choosing yours, theirs or both fills the block's text
// box with that text (what will be saved), and typing in the box chooses "this text".
(function () {
  'use strict';

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
