// On a narrow screen (a phone), <details data-fold-narrow> start folded, so what a page is for
// comes first: the search results before the filters. Without script, or on a wide screen, they
// stay open as the page sent them.
(function () {
  'use strict';
  function start() {
    if (!window.matchMedia('(max-width: 720px)').matches) return;
    document.querySelectorAll('details[data-fold-narrow]').forEach((d) => { d.open = false; });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
