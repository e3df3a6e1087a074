// Pan and zoom for the graph pictures ken draws inline (/graph). Optional: without script the
// picture is the same, only fixed. Wheel or +/- keys zoom, dragging moves, double-click resets.
(function () {
  'use strict';
  document.querySelectorAll('[data-pan-zoom] svg.graph-svg').forEach(function (svg) {
    var base = svg.viewBox.baseVal, home = [base.x, base.y, base.width, base.height];
    var box = home.slice(), drag = null;
    function apply() { svg.setAttribute('viewBox', box.join(' ')); }
    function point(ev) {
      var r = svg.getBoundingClientRect();
      return [box[0] + (ev.clientX - r.left) / r.width * box[2],
              box[1] + (ev.clientY - r.top) / r.height * box[3]];
    }
    function zoom(f, at) {
      var w = Math.min(Math.max(box[2] * f, home[2] / 8), home[2] * 2), s = w / box[2];
      box = [at[0] - (at[0] - box[0]) * s, at[1] - (at[1] - box[1]) * s, w, box[3] * s];
      apply();
    }
    svg.addEventListener('wheel', function (ev) {
      ev.preventDefault();
      zoom(ev.deltaY > 0 ? 1.15 : 1 / 1.15, point(ev));
    }, {passive: false});
    svg.addEventListener('pointerdown', function (ev) {
      if (ev.target.closest('a')) return; // let links be clicked
      drag = point(ev);
      svg.setPointerCapture(ev.pointerId);
    });
    svg.addEventListener('pointermove', function (ev) {
      if (!drag) return;
      var p = point(ev);
      box[0] -= p[0] - drag[0];
      box[1] -= p[1] - drag[1];
      apply();
    });
    svg.addEventListener('pointerup', function () { drag = null; });
    svg.addEventListener('pointercancel', function () { drag = null; }); // the browser took the touch
    svg.addEventListener('dblclick', function () { box = home.slice(); apply(); });
    svg.setAttribute('tabindex', '0');
    svg.addEventListener('keydown', function (ev) {
      var mid = [box[0] + box[2] / 2, box[1] + box[3] / 2];
      if (ev.key === '+' || ev.key === '=') zoom(1 / 1.25, mid);
      else if (ev.key === '-') zoom(1.25, mid);
      else if (ev.key === '0') { box = home.slice(); apply(); }
    });
  });
})();
