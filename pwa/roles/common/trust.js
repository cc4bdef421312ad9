// My credit (我的信用) for drivers, carriers, shippers, buyers and the mine's gate: the score, the grade, each
// signal's count and points (the one weights table), every contributing event with an appeal button, the
// effects that apply (suspension, the deposit rule, a shipper's minimum driver grade). Words: lib/i18n.js.
import { yuan } from '../../lib/format.js';
import { fill, h } from '../../ui/dom.js';
import { field } from '../../ui/field.js';
import { list } from '../../ui/list.js';

const GRADES = ['A', 'B', 'C', 'D'];

function header(t, s) {
  return h('section', { class: 'card trust-score', dataset: { score: s.score, grade: s.grade || '' } },
    h('h2', {}, t('trust.title')),
    h('p', { class: 'big' }, h('strong', { class: 'score' }, String(s.score)), ` ${t('trust.score')}`),
    h('p', { class: 'grade' }, s.grade ? `${t('trust.grade')} ${s.grade}` : t('trust.ungraded', { n: s.graded_after_loads })),
    h('p', {}, t('trust.loads', { n: s.loads, days: s.window_days })),
    ratingsLine(t, s),
    s.suspended ? h('p', { class: 'warning', role: 'alert' }, t('trust.suspended', { reason: s.suspended_reason })) : null,
    s.hard_gates.length ? h('p', { class: 'warning' }, t('trust.hard_gate')) : null,
    s.deposit && s.deposit.configured ? h('p', { class: 'muted deposit' },
      t('trust.deposit_off', { grades: s.deposit.grades.join('/'), yuan: yuan(s.deposit.amount_fen) })) : null);
}

function ratingsLine(t, s) {
  return s.ratings.count ? h('p', { class: 'ratings' }, t('trust.ratings', { n: s.ratings.count, avg: s.ratings.average }),
    ' ', Object.entries(s.ratings.tags || {}).map(([tag, n]) => h('span', { class: 'tag' }, `${t(`trust.tag.${tag}`)} ×${n}`)))
    : h('p', {}, t('trust.no_ratings'));
}

function mineRatings(t, s) {
  return h('section', { class: 'card trust-score', dataset: { role: 'mine' } }, h('h2', {}, t('trust.title')), ratingsLine(t, s));
}

function breakdown(t, s) {
  const rows = s.breakdown.map((r) => h('tr', { dataset: { signal: r.signal } },
    h('td', {}, t(`trust.sig.${r.signal}`), r.wired ? '' : t('trust.not_wired')),
    h('td', {}, String(r.count)), h('td', {}, String(r.points_each)), h('td', {}, String(r.points)), h('td', {}, String(r.cap))));
  return h('section', { class: 'card' }, h('h3', {}, t('trust.explain')), h('p', {}, t('trust.base', { n: s.base })),
    h('table', { class: 'trust-breakdown' },
      h('thead', {}, h('tr', {}, ['trust.signal', 'trust.count', 'trust.each', 'trust.points', 'trust.cap'].map((k) => h('th', {}, t(k))))),
      h('tbody', {}, rows)));
}

function appealForm(ctx, event, done) {
  const reason = field({ name: 'reason', label: ctx.t('trust.appeal_reason'), attrs: { required: true, maxlength: 500 } });
  const form = h('form', { class: 'appeal-form' }, reason.el, h('button', { type: 'submit' }, ctx.t('trust.appeal')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await ctx.write('POST', '/api/trust/appeals', { event_id: event.event_id, reason: reason.input.value.trim() }, ctx.t('trust.appeal'));
      done();
    } catch (err) { reason.setError((err.fieldErrors || {}).reason || err.message); }
  });
  return form;
}

function eventRow(ctx, e, refresh) {
  const { t } = ctx;
  const state = e.status === 'removed' ? t('trust.removed') : (e.appeal_id ? t('trust.appealed') : null);
  const open = h('div', { class: 'appeal-slot' });
  return h('div', { class: `row trust-event ${e.status}`, dataset: { event: e.event_id, signal: e.signal } },
    h('strong', {}, t(`trust.sig.${e.signal}`)), ` ${e.points_each > 0 ? '+' : ''}${e.points_each} · ${e.day}`,
    e.waybill_id ? h('span', { class: 'muted' }, ` · ${e.waybill_id}`) : null,
    state ? h('span', { class: 'tag' }, state) : h('button', { type: 'button', class: 'link',
      onclick: () => fill(open, appealForm(ctx, e, refresh)) }, t('trust.appeal')),
    open);
}

function policy(ctx, s, refresh) {
  const { t } = ctx;
  const choice = field({ name: 'min_driver_grade', label: t('trust.min_grade'), value: s.min_driver_grade || '',
    options: [['', t('trust.min_grade_any')], ...GRADES.map((g) => [g, g])] });
  const form = h('form', { class: 'card trust-policy' }, choice.el, h('button', { type: 'submit' }, t('trust.save')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await ctx.write('PUT', '/api/trust/policy', { min_driver_grade: choice.input.value || null }, t('trust.min_grade'));
      ctx.toast(t('trust.saved')); refresh();
    } catch (err) { choice.setError(err.message); }
  });
  return form;
}

export function render(root, ctx) {
  const { api, t } = ctx;
  const body = h('div', { class: 'screen trust-screen' });
  root.append(body);
  let alive = true;
  async function refresh() {
    const [s, events] = await Promise.all([api.get('/api/trust/me'), api.get('/api/trust/me/events?limit=50')]);
    if (!alive) return;
    if (s.role === 'mine') { fill(body, mineRatings(t, s)); return; } // the gate's mine is rated, not scored
    fill(body, header(t, s),
      ['shipper', 'buyer'].includes(ctx.user.role) ? policy(ctx, s, refresh) : null,
      breakdown(t, s),
      h('section', { class: 'card' }, h('h3', {}, t('trust.events')),
        list(events.items, (e) => eventRow(ctx, e, refresh), { empty: t('trust.no_events') })));
  }
  refresh().catch((err) => ctx.toast(t('load_failed', { message: err.message })));
  return () => { alive = false; };
}
