// Complaints (投诉) and my appeals: file a complaint about a load's driver, carrier, shipper, consignee or the mine's
// gate (category, text, photos through the outbox's uploads), watch its 24 h answer clock and the outcome; the
// appeals I filed from my credit screen with their decision. Words: lib/i18n.js.
import { fill, h } from '../../ui/dom.js';
import { field } from '../../ui/field.js';
import { list } from '../../ui/list.js';

const CATEGORIES = ['late', 'no_show', 'cargo_loss', 'attitude', 'fees', 'safety', 'fraud', 'gate', 'other'];
const ABOUT = ['driver', 'carrier', 'shipper', 'buyer', 'mine'];
const HOUR = 3600000;

export function clockText(t, c) {
  if (c.status !== 'open') return c.outcome ? `${t('trust.cp.answered')} · ${t(`trust.cp.${c.outcome}`)}` : t('trust.cp.answered');
  const hours = Math.abs(Math.round(c.due_in_ms / HOUR));
  return c.overdue ? t('trust.cp.overdue', { h: hours }) : t('trust.cp.due', { h: hours });
}

function complaintForm(ctx, done) {
  const { t } = ctx;
  const category = field({ name: 'category', label: t('trust.cp.category'), value: 'late',
    options: CATEGORIES.map((c) => [c, t(`trust.cat.${c}`)]) });
  const waybill = field({ name: 'waybill_id', label: t('trust.cp.waybill'), value: (ctx.params && ctx.params.waybill_id) || '',
    attrs: { required: true, maxlength: 128 } });
  const about = field({ name: 'about', label: t('trust.cp.about'), value: 'driver',
    options: ABOUT.map((a) => [a, t(`trust.target.${a}`)]) });
  const text = field({ name: 'text', label: t('trust.cp.text'), attrs: { required: true, maxlength: 1000 } });
  const photos = field({ name: 'photos', label: t('trust.cp.photos'), attrs: { type: 'file', accept: 'image/*', multiple: true } });
  const form = h('form', { class: 'card complaint-form' }, h('h3', {}, t('trust.cp.new')), category.el, waybill.el, about.el,
    text.el, photos.el, h('button', { type: 'submit', class: 'primary' }, t('trust.cp.send')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    [category, waybill, about, text].forEach((f) => f.setError(null));
    const attachments = [...photos.input.files].slice(0, 6).map((blob) => ({ field: 'photo_keys', kind: 'photo', blob }));
    const body = { category: category.input.value, text: text.input.value.trim(), waybill_id: waybill.input.value.trim(),
      about: about.input.value, photo_keys: [] };
    try {
      await ctx.write('POST', '/api/trust/complaints', body, t('trust.cp.new'),
        { attachments, uploadPath: '/api/trust/complaints/uploads' });
      ctx.toast(t('trust.cp.sent'));
      form.reset();
      done();
    } catch (err) {
      const fields = err.fieldErrors || {};
      const shown = [['category', category], ['waybill_id', waybill], ['about', about], ['text', text]]
        .filter(([name, f]) => fields[name] && (f.setError(fields[name]), true));
      if (!shown.length) text.setError(err.message);
    }
  });
  return form;
}

export function render(root, ctx) {
  const { api, t } = ctx;
  const mineEl = h('div');
  const appealsEl = h('div');
  root.append(h('section', { class: 'screen trust-complaints' }, h('h2', {}, t('trust.cp.title')),
    complaintForm(ctx, () => refresh()), h('h3', {}, t('trust.cp.mine')), mineEl, h('h3', {}, t('trust.cp.appeals')), appealsEl));
  let alive = true;
  async function refresh() {
    const [complaints, appeals] = await Promise.all([
      api.get('/api/trust/complaints?limit=20').catch(() => ({ items: [] })),
      ctx.user.role === 'gate' ? { items: [] } : api.get('/api/trust/appeals?limit=20').catch(() => ({ items: [] }))]);
    if (!alive) return;
    fill(mineEl, list(complaints.items, (c) => h('div', { class: `row complaint ${c.status}`, dataset: { complaint: c.id } },
      h('strong', {}, t(`trust.cat.${c.category}`)), ` · ${c.text} · `, h('span', { class: 'tag clock' }, clockText(t, c)),
      c.response ? h('p', { class: 'muted' }, c.response) : null), { empty: t('trust.cp.none') }));
    fill(appealsEl, list(appeals.items, (a) => h('div', { class: 'row appeal', dataset: { appeal: a.id } },
      h('strong', {}, t(`trust.sig.${a.signal}`)), ` · ${a.reason} · `, h('span', { class: 'tag' }, t(`trust.ap.${a.status}`)),
      a.decision_reason ? h('p', { class: 'muted' }, a.decision_reason) : null), { empty: t('trust.cp.no_appeals') }));
  }
  refresh();
  return () => { alive = false; };
}
