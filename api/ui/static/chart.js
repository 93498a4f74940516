// Draws every [data-src] chart on the page with uPlot (served from node_modules, no CDN).
// The data is JSON from /v1/stats/timeseries, fetched with the session cookie.
(function () {
  'use strict';
  const palette = ['#2456c7', '#b42318', '#067647', '#b54708', '#6941c6', '#475467'];

  function draw(el, data) {
    // A campaign's page gives one series as {points}; the stats API gives a list of them.
    if (!Array.isArray(data.series)) data = { series: [{ key: null, points: data.series.points }] };
    const xs = (data.series[0] ? data.series[0].points : []).map((p) => Date.parse(p[0]) / 1000);
    const series = [{}];
    const columns = [xs];
    data.series.forEach((s, i) => {
      series.push({
        label: s.key === null ? "reports" : String(s.key),
        stroke: palette[i % palette.length],
        fill: data.series.length === 1 ? 'rgba(36,86,199,0.12)' : undefined,
        width: 1.5,
      });
      columns.push(s.points.map((p) => p[1]));
    });
    const width = Math.max(320, el.clientWidth - 8);
    // eslint-disable-next-line no-undef
    new uPlot({ width, height: 220, series, axes: [{}, { label: 'reports' }], legend: { live: true } }, columns, el);
  }

  for (const el of document.querySelectorAll('[data-src]')) {
    fetch(el.getAttribute('data-src'), { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error('HTTP ' + r.status))))
      .then((data) => draw(el, data))
      .catch((err) => {
        el.textContent = 'Chart unavailable: ' + err.message;
        el.classList.add('muted');
      });
  }
})();
