// Bifrost control-plane dashboard: reads the operator API and draws its charts as inline SVG. No dependencies.
// The admin token (when the control plane has one and this browser is not on its host) is kept in sessionStorage
// and sent as a bearer token; it never leaves this origin.
'use strict';

(() => {
  const TOKEN_KEY = 'bifrost.adminToken';
  const SVG = 'http://www.w3.org/2000/svg';
  const REFRESH_MS = 5000;
  const OVERLOAD = 0.85;
  const CHART = { width: 640, height: 200, left: 64, right: 12, top: 12, bottom: 26 };

  const byId = (id) => document.getElementById(id);

  function token() {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  }

  async function api(path) {
    const headers = { Accept: 'application/json' };
    const bearer = token();
    if (bearer) {
      headers.Authorization = 'Bearer ' + bearer;
    }
    const response = await fetch(path, { headers, cache: 'no-store', credentials: 'omit' });
    let body = null;
    try {
      body = await response.json();
    } catch (ignored) {
      body = null;
    }
    if (!response.ok || !body || body.success !== true) {
      const error = new Error(body && body.error ? body.error.code + ': ' + body.error.message : 'HTTP ' + response.status);
      error.status = response.status;
      throw error;
    }
    return body.data;
  }

  function svgNode(name, attributes, parent) {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes || {})) {
      node.setAttribute(key, String(value));
    }
    if (parent) {
      parent.appendChild(node);
    }
    return node;
  }

  function svgText(parent, x, y, content, attributes) {
    const node = svgNode('text', Object.assign({ x, y }, attributes || {}), parent);
    node.textContent = content;
    return node;
  }

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
  }

  function si(value, unit) {
    const prefixes = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
    for (const [scale, prefix] of prefixes) {
      if (Math.abs(value) >= scale) {
        return (value / scale).toFixed(value / scale >= 100 ? 0 : 1) + ' ' + prefix + unit;
      }
    }
    return (Number.isInteger(value) ? value : value.toFixed(value >= 10 ? 1 : 2)) + (unit ? ' ' + unit : '');
  }

  const percent = (ratio) => (ratio * 100).toFixed(ratio >= 0.995 || ratio === 0 ? 0 : 1) + ' %';

  function clock(ms) {
    return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  function emptyChart(svg, message) {
    clear(svg);
    svgText(svg, CHART.width / 2, CHART.height / 2, message, { class: 'empty', 'text-anchor': 'middle' });
  }

  // A line chart of one series over time: y from 0 to the series' maximum (or a fixed maximum), grid lines at 0, 1/2
  // and 1 of it, the first and last sample times on the x axis. The path carries data-points (its sample count).
  // options.empty: the text when there are no samples; options.secondary: a second series drawn dashed on the same
  // axis (e.g. a p99 over a p50), its path class "line secondary"; options.spanMs: the x axis always covers this long
  // up to the last sample (per-minute charts show their hour even with few points).
  function lineChart(svg, samples, value, format, fixedMax, options) {
    const settings = options || {};
    if (samples.length === 0) {
      emptyChart(svg, settings.empty || 'no telemetry yet: the first sample comes within 10 s of edge traffic');
      return;
    }
    clear(svg);
    const plotWidth = CHART.width - CHART.left - CHART.right;
    const plotHeight = CHART.height - CHART.top - CHART.bottom;
    const last = samples[samples.length - 1].at_ms;
    const first = settings.spanMs ? Math.min(samples[0].at_ms, last - settings.spanMs) : samples[0].at_ms;
    const span = Math.max(last - first, 1);
    const values = samples.map(value);
    const secondary = settings.secondary ? samples.map(settings.secondary) : [];
    const max = fixedMax || Math.max(...values, ...secondary) * 1.1 || 1;
    const x = (at) => CHART.left + (last === first ? plotWidth : (at - first) / span * plotWidth);
    const y = (v) => CHART.top + plotHeight - Math.min(v / max, 1) * plotHeight;
    for (const fraction of [0, 0.5, 1]) {
      const gy = y(max * fraction);
      svgNode('line', { class: 'grid', x1: CHART.left, x2: CHART.width - CHART.right, y1: gy, y2: gy }, svg);
      svgText(svg, CHART.left - 6, gy + 4, format(max * fraction), { 'text-anchor': 'end' });
    }
    svgText(svg, CHART.left, CHART.height - 8, clock(first), { 'text-anchor': 'start' });
    svgText(svg, CHART.width - CHART.right, CHART.height - 8, clock(last), { 'text-anchor': 'end' });
    const points = samples.map((sample, i) => x(sample.at_ms).toFixed(1) + ',' + y(values[i]).toFixed(1));
    const baseline = y(0).toFixed(1);
    svgNode('path', {
      class: 'area',
      d: 'M' + x(samples[0].at_ms).toFixed(1) + ',' + baseline + ' L' + points.join(' L') + ' L' + x(last).toFixed(1) + ',' + baseline + ' Z'
    }, svg);
    svgNode('path', { class: 'line', d: 'M' + points.join(' L'), 'data-points': samples.length }, svg);
    if (secondary.length) {
      const upper = samples.map((sample, i) => x(sample.at_ms).toFixed(1) + ',' + y(secondary[i]).toFixed(1));
      svgNode('path', { class: 'line secondary', d: 'M' + upper.join(' L'), 'data-points': samples.length }, svg);
    }
    if (samples.length <= 90) {
      samples.forEach((sample, i) => svgNode('circle', { class: 'point', cx: x(sample.at_ms), cy: y(values[i]), r: 2.5 }, svg));
    }
    svgText(svg, CHART.width - CHART.right, CHART.top + 10, 'now ' + format(values[values.length - 1]) +
      (secondary.length ? ' / ' + format(secondary[secondary.length - 1]) : ''), { class: 'label', 'text-anchor': 'end' });
  }

  // A horizontal bar chart: one row per item, its label on the left, the bar scaled to the largest value, the value
  // on the right. Each bar carries data-key (the item) and data-value.
  function barChart(svg, items, emptyMessage) {
    const rowHeight = 26;
    const height = Math.max(60, items.length * rowHeight + 12);
    svg.setAttribute('viewBox', '0 0 ' + CHART.width + ' ' + height);
    if (items.length === 0) {
      clear(svg);
      svgText(svg, CHART.width / 2, 34, emptyMessage, { class: 'empty', 'text-anchor': 'middle' });
      return;
    }
    clear(svg);
    const labelWidth = 250;
    const valueWidth = 100;
    const barWidth = CHART.width - labelWidth - valueWidth;
    const max = Math.max(...items.map((item) => item.value)) || 1;
    items.forEach((item, i) => {
      const top = 6 + i * rowHeight;
      svgText(svg, labelWidth - 8, top + 15, item.label.length > 30 ? item.label.slice(0, 29) + '\u2026' : item.label,
        { class: 'label', 'text-anchor': 'end' });
      svgNode('rect', { class: 'track', x: labelWidth, y: top + 3, width: barWidth, height: rowHeight - 8, rx: 2 }, svg);
      svgNode('rect', {
        class: 'bar ' + (item.className || ''), x: labelWidth, y: top + 3, rx: 2,
        width: Math.max(item.value > 0 ? 2 : 0, item.value / max * barWidth), height: rowHeight - 8,
        'data-key': item.label, 'data-value': item.value
      }, svg);
      svgText(svg, labelWidth + barWidth + 8, top + 15, item.valueLabel, { 'text-anchor': 'start' });
    });
  }

  function meter(parent, label, fraction, threshold) {
    const svg = svgNode('svg', { viewBox: '0 0 260 22', class: 'meter', 'aria-label': label }, parent);
    svgText(svg, 0, 15, label, {});
    svgNode('rect', { class: 'track', x: 70, y: 5, width: 140, height: 12, rx: 2 }, svg);
    svgNode('rect', { class: 'bar', x: 70, y: 5, width: Math.min(Math.max(fraction, 0), 1) * 140, height: 12, rx: 2 }, svg);
    if (threshold) {
      svgNode('line', { class: 'threshold', x1: 70 + threshold * 140, x2: 70 + threshold * 140, y1: 2, y2: 20 }, svg);
    }
    svgText(svg, 216, 15, percent(fraction), {});
  }

  function renderEdges(list) {
    const container = byId('edges');
    container.replaceChildren();
    if (list.edges.length === 0) {
      const note = document.createElement('p');
      note.className = 'empty-note';
      note.textContent = 'No edge has sent a heartbeat yet.';
      container.appendChild(note);
      return;
    }
    for (const edge of list.edges) {
      const card = document.createElement('div');
      card.className = 'edge status-' + edge.status;
      card.dataset.edgeId = edge.edge_id;
      card.dataset.status = edge.status;
      const name = document.createElement('div');
      name.className = 'name';
      name.textContent = edge.edge_id + ' ';
      const badge = document.createElement('span');
      badge.className = 'badge';
      badge.textContent = edge.status;
      name.appendChild(badge);
      const meta = document.createElement('div');
      meta.className = 'meta';
      const traffic = edge.traffic;
      meta.textContent = edge.region + ' · ' + edge.active_connections + ' connections · ' +
        si(edge.egress_bits_per_second, 'bit/s') + (traffic ? ' · hit ' + percent(traffic.hit_ratio) : '');
      card.append(name, meta);
      meter(card, 'load', edge.load, OVERLOAD);
      meter(card, 'RAM tier', edge.ram.use, 0);
      if (edge.ssd.capacity_bytes > 0) {
        meter(card, 'SSD tier', edge.ssd.use, 0);
      }
      container.appendChild(card);
    }
  }

  function renderTraffic(traffic) {
    const samples = traffic.samples;
    lineChart(byId('chart-requests'), samples, (s) => s.requests_per_second, (v) => si(v, '/s'));
    lineChart(byId('chart-hit-ratio'), samples, (s) => s.hit_ratio, percent, 1);
    lineChart(byId('chart-bandwidth'), samples, (s) => s.bits_per_second, (v) => si(v, 'bit/s'));
    lineChart(byId('chart-viewers'), samples, (s) => s.viewers, (v) => si(Math.round(v), ''));
  }

  // The experience charts: per minute, fleet-wide or of the content chosen in the selector. Startup, stalls and
  // bitrate need the reference player's beacons; first byte comes from every edge request.
  const NO_BEACONS = 'no QoE beacons in the last hour: the reference player (/player/) sends them';
  const HOUR_MS = 3600 * 1000;
  let experienceContent = '';

  function renderExperience(experience) {
    const samples = experience.samples;
    const played = samples.filter((s) => s.qoe_beacons > 0 || s.played_millis > 0);
    const ms = (v) => si(Math.round(v), 'ms');
    lineChart(byId('chart-startup'), samples.filter((s) => s.startup_p50_millis > 0), (s) => s.startup_p50_millis, ms,
      0, { empty: NO_BEACONS, spanMs: HOUR_MS });
    lineChart(byId('chart-rebuffer'), played, (s) => s.rebuffer_ratio, percent, 0, { empty: NO_BEACONS, spanMs: HOUR_MS });
    lineChart(byId('chart-bitrate'), played.filter((s) => s.mean_bitrate_kbps > 0), (s) => s.mean_bitrate_kbps * 1000,
      (v) => si(v, 'bit/s'), 0, { empty: NO_BEACONS, spanMs: HOUR_MS });
    lineChart(byId('chart-first-byte'), samples.filter((s) => s.first_byte_p50_micros > 0),
      (s) => s.first_byte_p50_micros / 1000, (v) => si(Number(v.toFixed(v >= 10 ? 0 : 2)), 'ms'), 0,
      { empty: 'no edge requests with a first-byte time in the last hour', spanMs: HOUR_MS,
        secondary: (s) => s.first_byte_p99_micros / 1000 });
    document.body.dataset.experienceContent = experience.content || '';
  }

  // The selector offers every content of the hot list (and keeps the chosen one even when it leaves the list).
  function renderExperienceChoices(hot) {
    const select = byId('experience-content');
    const wanted = [''].concat(hot.contents.map((c) => c.content_id));
    if (experienceContent && !wanted.includes(experienceContent)) {
      wanted.push(experienceContent);
    }
    const present = Array.from(select.options).map((option) => option.value);
    if (present.join('\n') === wanted.join('\n')) {
      return;
    }
    select.replaceChildren(...wanted.map((id) => {
      const option = document.createElement('option');
      option.value = id;
      option.textContent = id || 'all contents';
      return option;
    }));
    select.value = experienceContent;
  }

  function experiencePath() {
    return '/api/v1/dashboard/experience' + (experienceContent ? '?content=' + encodeURIComponent(experienceContent) : '');
  }

  function renderHot(hot) {
    const byScore = hot.contents.some((c) => c.score > 0);
    barChart(byId('hot-content'), hot.contents.map((c) => ({
      label: c.content_id,
      value: byScore ? c.score : c.requests_last_hour,
      valueLabel: (byScore ? si(c.score, '') : si(c.requests_last_hour, 'req')) + ' ' + c.temperature,
      className: 'temp-' + c.temperature
    })), 'no content requested in the last hour');
  }

  function renderLive(live) {
    barChart(byId('live-streams'), live.streams.map((s) => ({
      label: s.title + ' (' + s.stream_id.slice(0, 11) + ')',
      value: s.viewer_count,
      valueLabel: si(s.viewer_count, 'viewers')
    })), 'no live stream right now');
  }

  function renderSummary(edges, traffic) {
    const latest = traffic.samples.length ? traffic.samples[traffic.samples.length - 1] : null;
    byId('summary').textContent = edges.up + (edges.up === 1 ? ' edge' : ' edges') + ' up, ' + edges.down + ' down' + (latest ?
      ' · ' + si(latest.requests_per_second, 'req/s') + ' · hit ' + percent(latest.hit_ratio) + ' · ' +
      si(latest.bits_per_second, 'bit/s') + ' · ' + latest.viewers + ' viewers' : '');
  }

  let refreshes = 0;

  async function refresh() {
    const status = byId('status');
    try {
      const [edges, traffic, hot, live, experience] = await Promise.all([
        api('/api/v1/edges'),
        api('/api/v1/dashboard/traffic'),
        api('/api/v1/dashboard/hot-content?limit=10'),
        api('/api/v1/streams?status=live&limit=50'),
        api(experiencePath())
      ]);
      renderEdges(edges);
      renderTraffic(traffic);
      renderExperience(experience);
      renderHot(hot);
      renderExperienceChoices(hot);
      renderLive(live);
      renderSummary(edges, traffic);
      status.textContent = '';
      refreshes += 1;
      document.body.dataset.refreshes = String(refreshes);
      document.body.dataset.samples = String(traffic.samples.length);
      document.body.dataset.experienceSamples = String(experience.samples.length);
    } catch (error) {
      status.textContent = error.status === 401 ?
        'This control plane needs its admin token (control.admin-token): enter it above.' :
        'Cannot read the control plane: ' + error.message;
    }
  }

  function start() {
    const form = byId('login');
    const input = byId('token');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const value = input.value.trim();
      if (value) {
        sessionStorage.setItem(TOKEN_KEY, value);
      }
      input.value = '';
      refresh();
    });
    byId('experience-content').addEventListener('change', (event) => {
      experienceContent = event.target.value;
      refresh();
    });
    byId('forget').addEventListener('click', () => {
      sessionStorage.removeItem(TOKEN_KEY);
      refresh();
    });
    refresh();
    setInterval(refresh, REFRESH_MS);
  }

  document.addEventListener('DOMContentLoaded', start);
})();
