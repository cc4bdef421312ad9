// Small SVG charts for the command centre (bars, lines, KPI tiles, a table): no library, loaded only by the
// screens that draw them. Charts scale with their box (viewBox), so one drawing fits 360 px and a wall.
import { h } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';
const COLOURS = ['#b3470f', '#1f2d3d', '#1e6b34', '#7a5195', '#a4161a'];
const W = 320;
const H = 140;
const PAD = { l: 34, r: 6, t: 8, b: 22 };

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  el.append(...children);
  return el;
}

function short(n) {
  const a = Math.abs(n);
  if (a >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (a >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  return String(Math.round(n * 10) / 10);
}

function frame(title, labels, max) {
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title, class: 'chart', width: '100%' });
  const y = (v) => PAD.t + (H - PAD.t - PAD.b) * (1 - v / (max || 1));
  for (const v of [0, max / 2, max]) {
    svg.append(s('line', { x1: PAD.l, x2: W - PAD.r, y1: y(v), y2: y(v), stroke: '#d6d0c4', 'stroke-width': 0.5 }));
    svg.append(s('text', { x: PAD.l - 3, y: y(v) + 3, 'text-anchor': 'end', 'font-size': 8, fill: '#4a5562' }, short(v)));
  }
  const step = (W - PAD.l - PAD.r) / Math.max(labels.length, 1);
  const every = Math.ceil(labels.length / 8); // at most eight labels: they stay readable on a phone
  labels.forEach((label, i) => {
    if (i % every) return;
    svg.append(s('text', { x: PAD.l + step * (i + 0.5), y: H - 8, 'text-anchor': 'middle', 'font-size': 8, fill: '#4a5562' }, label));
  });
  return { svg, y, step };
}

function legend(series) {
  return h('p', { class: 'chart-legend' }, series.map((one, i) =>
    h('span', { class: 'chart-key' }, h('span', { style: `color:${COLOURS[i % COLOURS.length]}` }, '■ '), one.label, ' ')));
}

/** Bars (one series or several side by side): series = [{label, values: [n...]}], labels = x labels. */
export function bars(title, labels, series) {
  const max = Math.max(1, ...series.flatMap((one) => one.values));
  const { svg, y, step } = frame(title, labels, max);
  const width = (step * 0.8) / series.length;
  series.forEach((one, k) => one.values.forEach((v, i) => {
    const x = PAD.l + step * i + step * 0.1 + width * k;
    svg.append(s('rect', { x, y: y(v), width: Math.max(width, 1), height: Math.max(0, y(0) - y(v)), fill: COLOURS[k % COLOURS.length] },
      s('title', {}, `${labels[i]} ${one.label}: ${v}`)));
  }));
  return h('figure', { class: 'chart-box' }, h('figcaption', {}, title), svg, series.length > 1 ? legend(series) : null);
}

/** Lines over the same x labels: series = [{label, values}]. */
export function lines(title, labels, series) {
  const max = Math.max(1, ...series.flatMap((one) => one.values));
  const { svg, y, step } = frame(title, labels, max);
  series.forEach((one, k) => {
    const points = one.values.map((v, i) => `${PAD.l + step * (i + 0.5)},${y(v)}`).join(' ');
    svg.append(s('polyline', { points, fill: 'none', stroke: COLOURS[k % COLOURS.length], 'stroke-width': 2 }));
  });
  return h('figure', { class: 'chart-box' }, h('figcaption', {}, title), svg, legend(series));
}

/** KPI tiles: [[label, value text]]. */
export function tiles(pairs) {
  return h('dl', { class: 'kpi-tiles', style: 'display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.5rem;margin:0' },
    pairs.map(([label, value]) => h('div', { class: 'card kpi', style: 'margin:0;padding:.5rem' },
      h('dt', { style: 'color:#4a5562;font-size:.85em' }, label), h('dd', { style: 'margin:0;font-size:1.6em;font-weight:700' }, value))));
}

/** A plain table: columns = [[header, row => text]]. */
export function table(caption, columns, rows) {
  return h('div', { style: 'overflow-x:auto' }, h('table', { class: 'kpi-table', style: 'width:100%;border-collapse:collapse' },
    h('caption', { style: 'text-align:left;font-weight:600' }, caption),
    h('thead', {}, h('tr', {}, columns.map(([head]) => h('th', { scope: 'col', style: 'text-align:left;padding:.25rem' }, head)))),
    h('tbody', {}, rows.map((row) => h('tr', {}, columns.map(([, cell]) => h('td', { style: 'padding:.25rem;border-top:1px solid #d6d0c4' }, cell(row))))))));
}
