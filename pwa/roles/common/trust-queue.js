// The dispatch centre's complaint desk (投诉受理): open complaints earliest deadline first with their 24 h clock,
// answered with fault / no fault (fault counts against the party's credit score); pending appeals, upheld (the
// event leaves the score at once) or rejected; lifting a party's suspension after review. Words: lib/i18n.js.
import { fill, h } from '../../ui/dom.js';
import { field } from '../../ui/field.js';
import { list } from '../../ui/list.js';
import { clockText } from './trust-complaints.js';

function decisionForm(ctx, { choices, textName, path, body, label }, done) {
  const { t } = ctx;
  const choice = field({ name: 'choice', label: t('trust.q.outcome'), value: choices[0][0], options: choices });
  const text = field({ name: textName, label: t(textName === 'response' ? 'trust.q.response' : 'trust.q.reason'),
    attrs: { required: true, maxlength: 500 } });
  const form = h('form', { class: 'decision-form' }, choice.el, text.el, h('button', { type: 'submit', class: 'primary' }, label));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await ctx.write('POST', path, body(choice.input.value, text.input.value.trim()), label);
      ctx.toast(t('trust.q.done'));
      done();
    } catch (err) { text.setError(err.message); }
  });
  return form;
}

function complaintRow(ctx, c, refresh) {
  const { t } = ctx;
  return h('div', { class: `row complaint ${c.overdue ? 'overdue' : ''}`, dataset: { complaint: c.id } },
    h('strong', {}, t(`trust.cat.${c.category}`)), ' ', h('span', { class: 'tag clock' }, clockText(t, c)),
    h('p', {}, c.text), h('p', { class: 'muted' }, [c.waybill_id, c.about_id && t('trust.q.about', { id: c.about_id })].filter(Boolean).join(' · ')),
    c.photos.map((src) => h('img', { src, alt: '', class: 'thumb', width: 96 })),
    decisionForm(ctx, { choices: [['fault', t('trust.cp.fault')], ['no_fault', t('trust.cp.no_fault')]], textName: 'response',
      path: `/api/trust/complaints/${c.id}/answer`, body: (outcome, response) => ({ outcome, response }),
      label: t('trust.q.answer') }, refresh));
}

function appealRow(ctx, a, refresh) {
  const { t } = ctx;
  return h('div', { class: 'row appeal', dataset: { appeal: a.id } },
    h('strong', {}, t(`trust.sig.${a.signal}`)), ` · ${a.party_role} ${a.party_id}`, h('p', {}, a.reason),
    h('p', { class: 'muted' }, t('trust.q.event', { id: a.event_id })),
    decisionForm(ctx, { choices: [['true', t('trust.q.uphold')], ['false', t('trust.q.reject')]], textName: 'reason',
      path: `/api/trust/appeals/${a.id}/decide`, body: (upheld, reason) => ({ upheld: upheld === 'true', reason }),
      label: t('trust.q.outcome') }, refresh));
}

function liftForm(ctx) {
  const { t } = ctx;
  const party = field({ name: 'party_id', label: t('trust.q.party'), attrs: { required: true, maxlength: 128 } });
  const form = h('form', { class: 'card lift-form' }, party.el, h('button', { type: 'submit' }, t('trust.q.lift')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await ctx.write('POST', `/api/trust/parties/${encodeURIComponent(party.input.value.trim())}/suspension`, { suspended: false }, t('trust.q.lift'));
      ctx.toast(t('trust.q.done'));
    } catch (err) { party.setError(err.message); }
  });
  return form;
}

export function render(root, ctx) {
  const { api, t } = ctx;
  const complaintsEl = h('div');
  const appealsEl = h('div');
  root.append(h('section', { class: 'screen trust-queue' }, h('h2', {}, t('trust.q.title')),
    h('h3', {}, t('trust.q.complaints')), complaintsEl, h('h3', {}, t('trust.q.appeals')), appealsEl, liftForm(ctx)));
  let alive = true;
  async function refresh() {
    const [complaints, appeals] = await Promise.all([api.get('/api/trust/complaints?status=open&limit=50'),
      api.get('/api/trust/appeals?status=pending&limit=50')]);
    if (!alive) return;
    fill(complaintsEl, list(complaints.items, (c) => complaintRow(ctx, c, refresh), { empty: t('trust.q.none') }));
    fill(appealsEl, list(appeals.items, (a) => appealRow(ctx, a, refresh), { empty: t('trust.q.none') }));
  }
  refresh().catch((err) => ctx.toast(t('load_failed', { message: err.message })));
  const timer = setInterval(() => refresh().catch(() => {}), 60000); // the clocks move
  return () => { alive = false; clearInterval(timer); };
}
