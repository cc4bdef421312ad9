// Platform operator: the regulatory feed to the province. Counts by upload state, the work queue of documents a
// self-check stopped (reason + the screen to fix it), the province's rejections, and resend after a fix.
import { fill, h } from '../../ui/dom.js';

const STATES = ['blocked', 'rejected', 'queued', 'sent', 'acknowledged', 'corrected', 'resent', 'accepted'];
const RESENDABLE = new Set(['blocked', 'rejected']);

const MESSAGES = {
  zh: {
    'compliance.title': '监管上报', 'compliance.counts': '各状态单据数', 'compliance.queue': '待处理',
    'compliance.empty': '这一状态下没有单据', 'compliance.resend': '修正后重新上报', 'compliance.resent': '已重新排队：{id}',
    'compliance.fix': '去处理', 'compliance.code': '省平台代码 {code}', 'compliance.tries': '已尝试 {n} 次',
    'compliance.kind.waybill': '电子运单', 'compliance.kind.fund_flow': '资金流水单', 'compliance.kind.vehicle': '车辆',
    'compliance.kind.driver': '驾驶员', 'compliance.kind.positions': '位置',
    'compliance.state.blocked': '自检未通过', 'compliance.state.rejected': '被退回', 'compliance.state.queued': '排队中',
    'compliance.state.sent': '已发送', 'compliance.state.acknowledged': '已回执', 'compliance.state.corrected': '已修正',
    'compliance.state.resent': '已重发', 'compliance.state.accepted': '已接收',
  },
  en: {
    'compliance.title': 'Regulatory feed', 'compliance.counts': 'Documents by state', 'compliance.queue': 'Work queue',
    'compliance.empty': 'No documents in this state', 'compliance.resend': 'Resend after the fix', 'compliance.resent': 'Queued again: {id}',
    'compliance.fix': 'Fix it', 'compliance.code': 'Province code {code}', 'compliance.tries': 'Tried {n} times',
    'compliance.kind.waybill': 'E-waybill', 'compliance.kind.fund_flow': 'Fund flow', 'compliance.kind.vehicle': 'Vehicle',
    'compliance.kind.driver': 'Driver', 'compliance.kind.positions': 'Positions',
    'compliance.state.blocked': 'Failed self-check', 'compliance.state.rejected': 'Rejected', 'compliance.state.queued': 'Queued',
    'compliance.state.sent': 'Sent', 'compliance.state.acknowledged': 'Acknowledged', 'compliance.state.corrected': 'Corrected',
    'compliance.state.resent': 'Resent', 'compliance.state.accepted': 'Accepted',
  },
};

function reasons(doc, t) {
  const lines = (doc.failures || []).map((f) => h('li', {}, f.reason, ' ',
    h('a', { href: f.fix, class: 'fix-link' }, t('compliance.fix'))));
  if (doc.reject_code) lines.push(h('li', {}, `${t('compliance.code', { code: doc.reject_code })}: ${doc.reject_reason || ''}`));
  return lines.length ? h('ul', { class: 'reasons' }, lines) : null;
}

export function render(root, { api, write, t, addMessages, toast }) {
  addMessages(MESSAGES);
  let state = 'blocked';
  let alive = true;
  const counts = h('div', { class: 'card counts', role: 'group', 'aria-label': t('compliance.counts') });
  const queue = h('section', { class: 'card', 'aria-labelledby': 'compliance-q' });

  function docRow(doc) {
    const resend = RESENDABLE.has(doc.state)
      ? h('button', { type: 'button', class: 'primary', onclick: () => again(doc) }, t('compliance.resend'))
      : null;
    return h('li', { class: 'row document', dataset: { id: doc.id, state: doc.state } },
      h('strong', {}, `${t(`compliance.kind.${doc.kind}`)} · ${doc.subject_id}`),
      h('span', { class: 'muted' }, ` ${t(`compliance.state.${doc.state}`)} · ${t('compliance.tries', { n: doc.attempts || 0 })}`),
      reasons(doc, t), resend);
  }

  async function again(doc) {
    try {
      const result = await write('POST', `/api/regfeed/documents/${encodeURIComponent(doc.id)}/resend`, {},
        t('compliance.resend'));
      toast(result.queued ? t('queued') : t('compliance.resent', { id: doc.subject_id }));
    } catch (e) { toast(e.message); }
    refresh();
  }

  async function refresh() {
    const [summary, page] = await Promise.allSettled([
      api.get('/api/regfeed/summary'), api.get(`/api/regfeed/documents?state=${state}&limit=50`)]);
    if (!alive) return;
    const numbers = summary.status === 'fulfilled' ? summary.value.counts : {};
    fill(counts, STATES.map((s) => h('button', {
      type: 'button', class: s === state ? 'chip selected' : 'chip', 'aria-pressed': String(s === state),
      dataset: { state: s }, onclick: () => { state = s; refresh(); },
    }, `${t(`compliance.state.${s}`)} ${numbers[s] ?? '–'}`)));
    fill(queue, h('h2', { id: 'compliance-q' }, `${t('compliance.queue')}: ${t(`compliance.state.${state}`)}`),
      page.status === 'fulfilled'
        ? (page.value.items.length ? h('ul', { class: 'list' }, page.value.items.map(docRow)) : h('p', {}, t('compliance.empty')))
        : h('p', { class: 'form-error' }, page.reason.message));
  }

  fill(root, h('section', { class: 'screen compliance' }, h('h1', {}, t('compliance.title')), counts, queue));
  refresh();
  return () => { alive = false; };
}
