// Rate after delivery (评价): the buyer or shipper rates the driver and the carrier, the driver rates the shipper
// or buyer and the mine's gate; 1-5 stars and tags, one rating per load and side, changeable for 24 h. The rated
// party only ever sees the ratings added up (never who gave them). Words: lib/i18n.js.
import { weight } from '../../lib/format.js';
import { stateName } from '../../lib/waybill-words.js';
import { fill, h } from '../../ui/dom.js';
import { field } from '../../ui/field.js';
import { list } from '../../ui/list.js';

const TARGETS = { buyer: ['driver', 'carrier'], shipper: ['driver', 'carrier'], driver: ['shipper', 'buyer', 'mine'] };
const TAGS = ['load_fast', 'load_slow', 'pay_fast', 'pay_slow', 'polite', 'rude', 'on_time', 'late', 'gate_fast'];

function targetsOf(role, w) {
  return (TARGETS[role] || []).filter((target) => target === 'mine' || w[`${target}_id`]);
}

function rateForm(ctx, w, mine, done) {
  const { t } = ctx;
  const targets = targetsOf(ctx.user.role, w);
  const target = field({ name: 'target', label: t('trust.rate.target'), value: targets[0],
    options: targets.map((x) => [x, t(`trust.target.${x}`)]) });
  const stars = field({ name: 'stars', label: t('trust.rate.stars'), value: '5',
    options: ['5', '4', '3', '2', '1'].map((n) => [n, '★'.repeat(Number(n))]) });
  const boxes = TAGS.map((tag) => h('label', { class: 'chip' }, h('input', { type: 'checkbox', name: 'tags', value: tag }), t(`trust.tag.${tag}`)));
  const given = mine.map((r) => h('p', { class: 'muted', dataset: { target: r.target } },
    `${t(`trust.target.${r.target}`)} · ${t('trust.rate.yours', { stars: r.stars })}`));
  const form = h('form', { class: 'card rate-form', dataset: { waybill: w.id } }, given, target.el, stars.el,
    h('fieldset', {}, h('legend', {}, t('trust.rate.tags')), boxes),
    h('button', { type: 'submit', class: 'primary' }, t('trust.rate.send')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const tags = boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
    try {
      await ctx.write('POST', '/api/trust/ratings', { waybill_id: w.id, target: target.input.value,
        stars: Number(stars.input.value), tags }, t('trust.rate.title'));
      ctx.toast(t('trust.rate.sent'));
      done();
    } catch (err) { stars.setError(err.message); }
  });
  return form;
}

export function render(root, ctx) {
  const { api, t } = ctx;
  const body = h('section', { class: 'screen trust-rate' });
  root.append(body);
  let alive = true;
  async function showList() {
    const [confirmed, settled] = await Promise.all(['confirmed', 'settled'].map((state) =>
      api.get(`/api/waybills?limit=20&state=${state}`).catch(() => ({ items: [] }))));
    if (!alive) return;
    fill(body, h('h2', {}, t('trust.rate.title')), h('p', {}, t('trust.rate.pick')),
      list([...confirmed.items, ...settled.items], (w) => h('button', { type: 'button', class: 'row', dataset: { waybill: w.id },
        onclick: () => showForm(w) }, `${w.plate || ''} · ${stateName(w.state)} · ${weight(w.tonnage_kg, 1)}`), { empty: t('trust.rate.none') }));
  }
  async function showForm(w) {
    const mine = await api.get(`/api/trust/ratings?waybill_id=${encodeURIComponent(w.id)}`).catch(() => ({ items: [] }));
    if (!alive) return;
    fill(body, h('button', { type: 'button', onclick: showList }, '←'), h('h2', {}, `${t('trust.rate.title')} ${w.id}`),
      rateForm(ctx, w, mine.items, showList));
  }
  if (ctx.params && ctx.params.waybill_id) showForm({ id: ctx.params.waybill_id, ...ctx.params }); else showList();
  return () => { alive = false; };
}
