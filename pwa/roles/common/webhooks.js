// Webhooks for a shipper's or buyer's own system (ERP): add a URL for waybill events, see its secret once, rotate
// it (the old one keeps signing beside the new for a day), read the delivery log and resend a delivery.
import { dateTime } from '../../lib/format.js';
import { fill, h } from '../../ui/dom.js';
import { field } from '../../ui/field.js';

const EVENTS = ['dispatched', 'loaded', 'in_transit', 'arrived', 'received', 'settled'];

const MESSAGES = {
  zh: { 'wh.title': '系统对接（Webhook）', 'wh.none': '还没有 Webhook', 'wh.url': '接收地址（https）', 'wh.events': '推送事件',
    'wh.add': '添加', 'wh.secret': '签名密钥（只显示这一次，请保存）', 'wh.rotate': '更换密钥', 'wh.delete': '删除',
    'wh.log': '推送记录', 'wh.resend': '重发', 'wh.back': '返回', 'wh.no_log': '还没有推送', 'wh.attempts': '次尝试',
    'wh.rotated': '新密钥已生效；旧密钥 24 小时内仍同时签名', 'wh.queued': '已保存，联网后提交',
    'wh.ev.dispatched': '已派车', 'wh.ev.loaded': '已装车（净重）', 'wh.ev.in_transit': '在途', 'wh.ev.arrived': '已到达',
    'wh.ev.received': '已收货', 'wh.ev.settled': '已结算', 'wh.st.pending': '待发送', 'wh.st.retry': '重试中',
    'wh.st.delivered': '已送达', 'wh.st.failed': '失败' },
  en: { 'wh.title': 'Webhooks', 'wh.none': 'No webhooks yet', 'wh.url': 'Receiver URL (https)', 'wh.events': 'Events',
    'wh.add': 'Add', 'wh.secret': 'Signing secret (shown this once: keep it)', 'wh.rotate': 'Rotate secret', 'wh.delete': 'Delete',
    'wh.log': 'Deliveries', 'wh.resend': 'Resend', 'wh.back': 'Back', 'wh.no_log': 'Nothing sent yet', 'wh.attempts': 'tries',
    'wh.rotated': 'New secret in use; the old one also signs for 24 h', 'wh.queued': 'Saved; will send when online',
    'wh.ev.dispatched': 'Dispatched', 'wh.ev.loaded': 'Loaded (net weight)', 'wh.ev.in_transit': 'In transit', 'wh.ev.arrived': 'Arrived',
    'wh.ev.received': 'Received', 'wh.ev.settled': 'Settled', 'wh.st.pending': 'Pending', 'wh.st.retry': 'Retrying',
    'wh.st.delivered': 'Delivered', 'wh.st.failed': 'Failed' },
};

function secretNote(t, secret) {
  return h('div', { class: 'card secret' }, h('p', {}, t('wh.secret')), h('code', { class: 'secret-value' }, secret));
}

export function render(root, ctx) {
  const { t } = ctx;
  ctx.addMessages(MESSAGES);
  const notes = h('div', { class: 'wh-notes' });
  const body = h('div', { class: 'wh-body' });

  function form() {
    const url = field({ name: 'url', label: t('wh.url'), attrs: { type: 'url', required: true, maxlength: 500, placeholder: 'https://erp.example.com/coalhaul' } });
    const boxes = EVENTS.map((e) => h('label', { class: 'check' }, h('input', { type: 'checkbox', value: e, checked: true }), ` ${t(`wh.ev.${e}`)}`));
    const events = h('fieldset', {}, h('legend', {}, t('wh.events')), boxes);
    const el = h('form', { class: 'card wh-form' }, url.el, events, h('button', { type: 'submit', class: 'primary' }, t('wh.add')));
    el.addEventListener('submit', async (event) => {
      event.preventDefault();
      url.setError(null);
      const chosen = boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
      try {
        const res = await ctx.write('POST', '/api/webhooks', { url: url.input.value.trim(), events: chosen }, t('wh.add'));
        if (res.queued) { ctx.toast(t('wh.queued')); return; }
        fill(notes, secretNote(t, res.data.secret));
        load();
      } catch (err) {
        const fields = err.fieldErrors || {};
        url.setError(fields.url || fields.events || err.message);
      }
    });
    return el;
  }

  async function showLog(hook) {
    const page = await ctx.api.get(`/api/webhooks/${hook.id}/deliveries?limit=50`);
    const rows = page.items.map((d) => h('li', { class: `delivery ${d.status}`, dataset: { id: d.id } },
      h('strong', {}, t(`wh.ev.${d.type}`) || d.type), ` · ${t(`wh.st.${d.status}`) || d.status} · ${d.attempts} ${t('wh.attempts')}`,
      d.last_status ? ` · HTTP ${d.last_status}` : '', ` · ${dateTime(d.created_at)} `,
      h('button', { type: 'button', class: 'resend', onclick: async () => {
        await ctx.write('POST', `/api/webhooks/${hook.id}/deliveries/${encodeURIComponent(d.id)}/resend`, {}, t('wh.resend'));
        showLog(hook);
      } }, t('wh.resend'))));
    fill(body, h('section', { class: 'card wh-log' }, h('h2', {}, `${t('wh.log')} · ${hook.url}`),
      rows.length ? h('ul', { class: 'list' }, rows) : h('p', { class: 'empty' }, t('wh.no_log')),
      h('button', { type: 'button', onclick: load }, t('wh.back'))));
  }

  function hookRow(hook) {
    const rotate = async () => {
      const res = await ctx.write('POST', `/api/webhooks/${hook.id}/rotate`, {}, t('wh.rotate'));
      if (!res.queued) fill(notes, secretNote(t, res.data.secret), h('p', { class: 'hint' }, t('wh.rotated')));
    };
    const remove = async () => { await ctx.write('DELETE', `/api/webhooks/${hook.id}`, null, t('wh.delete')); load(); };
    return h('li', { class: 'webhook', dataset: { id: hook.id } }, h('strong', {}, hook.url),
      h('p', { class: 'muted' }, hook.events.map((e) => t(`wh.ev.${e}`)).join('、')),
      h('button', { type: 'button', class: 'log', onclick: () => showLog(hook) }, t('wh.log')),
      h('button', { type: 'button', class: 'rotate', onclick: rotate }, t('wh.rotate')),
      h('button', { type: 'button', class: 'delete', onclick: remove }, t('wh.delete')));
  }

  async function load() {
    try {
      const { items } = await ctx.api.get('/api/webhooks');
      fill(body, items.length ? h('ul', { class: 'list webhooks' }, items.map(hookRow)) : h('p', { class: 'empty' }, t('wh.none')), form());
    } catch (err) {
      fill(body, h('p', { class: 'form-error' }, t('load_failed', { message: err.message })));
    }
  }

  fill(root, h('h1', {}, t('wh.title')), notes, body);
  load();
  return () => {};
}
