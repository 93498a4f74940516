// Draws the owner's complaints and delivered volume per UTC day with uPlot. The data is in the
// element's data-chart attribute (JSON written by the server): no inline script, no fetch.
(function () {
  'use strict';
  var el = document.getElementById('owner-chart');
  if (!el || typeof uPlot === 'undefined') return;
  var data;
  try {
    data = JSON.parse(el.getAttribute('data-chart') || '{}');
  } catch (e) {
    return;
  }
  if (!data.days || !data.days.length) return;
  var xs = data.days.map(function (d) { return Date.parse(d + 'T00:00:00Z') / 1000; });
  var colours = ['#b42318', '#2456c7'];
  var series = [{}];
  var columns = [xs];
  data.series.forEach(function (s, i) {
    series.push({ label: s.label, stroke: colours[i % colours.length], width: 1.5, scale: i === 0 ? 'c' : 'v' });
    columns.push(s.values);
  });
  var width = Math.max(280, Math.min(el.clientWidth || 600, 1100));
  // eslint-disable-next-line no-undef
  new uPlot({
    width: width,
    height: 220,
    tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); },
    series: series,
    axes: [{}, { scale: 'c' }, { scale: 'v', side: 1, grid: { show: false } }],
  }, columns, el);
})();
