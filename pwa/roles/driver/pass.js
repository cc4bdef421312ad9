// The gate pass as a QR code, kept on the phone so it still shows with no signal.
import { dateTime } from '../../lib/format.js';
import { fill, h } from '../../ui/dom.js';

const MESSAGES = {
  zh: { 'pass.title': '通行证', 'pass.none': '暂无可用通行证', 'pass.offline': '离线显示（上次保存）', 'pass.plate': '车牌',
    'pass.window': '时段', 'pass.expires': '有效至' },
  en: { 'pass.title': 'Gate pass', 'pass.none': 'No gate pass yet', 'pass.offline': 'Shown offline (last saved)', 'pass.plate': 'Plate',
    'pass.window': 'Window', 'pass.expires': 'Valid until' },
};
const STORE_KEY = 'ch.passes';

const saved = () => JSON.parse(localStorage.getItem(STORE_KEY) || '{}');

function keep(pass) {
  const all = saved();
  all[pass.booking_id] = pass;
  for (const [id, p] of Object.entries(all)) if (p.claims.exp < Date.now()) delete all[id];
  localStorage.setItem(STORE_KEY, JSON.stringify(all));
}

function svgNode(markup) {
  // The SVG comes from our own server (segno); parse it as an image document rather than injecting HTML.
  const doc = new DOMParser().parseFromString(markup, 'image/svg+xml');
  const svg = document.importNode(doc.documentElement, true);
  if (!svg.getAttribute('viewBox')) {
    svg.setAttribute('viewBox', `0 0 ${svg.getAttribute('width')} ${svg.getAttribute('height')}`);
  }
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'QR');
  svg.setAttribute('width', '280');
  svg.setAttribute('height', '280');
  return svg;
}

function view(pass, t, offline) {
  // Slot ids are "<mine>@<start ms>"; show the window only when the id carries one.
  const from = Number(String(pass.claims.slot_id || '').split('@')[1]);
  return h('article', { class: 'card pass', dataset: { booking: pass.booking_id } },
    offline ? h('p', { class: 'tag offline-pass' }, t('pass.offline')) : null,
    h('div', { class: 'qr' }, svgNode(pass.qr_svg)),
    h('p', {}, `${t('pass.plate')}: `, h('strong', {}, pass.claims.plate || '')),
    Number.isFinite(from) && from > 0 ? h('p', {}, `${t('pass.window')}: ${dateTime(from)}`) : null,
    // No token text under the code: 300 characters nobody can read or type (the gate admits by plate if a scan fails).
    h('p', {}, `${t('pass.expires')}: ${dateTime(pass.claims.exp)}`));
}

export function render(root, ctx) {
  const { t } = ctx;
  ctx.addMessages(MESSAGES);
  const body = h('div', { class: 'stack' });
  fill(root, h('section', { class: 'screen pass-screen' }, h('h1', {}, t('pass.title')), body));
  let alive = true;

  function showSaved() {
    const wanted = ctx.params && ctx.params.booking;
    const passes = Object.values(saved()).filter((p) => !wanted || p.booking_id === wanted);
    fill(body, passes.length ? passes.map((p) => view(p, t, true)) : h('p', { class: 'empty' }, t('pass.none')));
  }

  async function load() {
    try {
      const mine = await ctx.api.get('/api/appointments/bookings/mine');
      const wanted = ctx.params && ctx.params.booking;
      const bookings = mine.items.filter((b) => !wanted || b.id === wanted);
      const passes = await Promise.all(bookings.map((b) => ctx.api.get(`/api/appointments/bookings/${b.id}/pass`)));
      passes.forEach(keep);
      if (alive) fill(body, passes.length ? passes.map((p) => view(p, t, false)) : h('p', { class: 'empty' }, t('pass.none')));
    } catch { if (alive) showSaved(); }
  }

  showSaved();
  load();
  return () => { alive = false; };
}
