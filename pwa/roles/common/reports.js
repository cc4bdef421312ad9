// Reports (报表): the daily, weekly and monthly reports this user may download (Excel, PDF, print), and which of
// them reach their inbox when generated (their subscription, among what a manager lets their role receive).
// Every role with reports opens it from home; a report_ready message in the inbox leads here.
import { catalogueNames } from '../../lib/catalogue.js';
import { fill, h } from '../../ui/dom.js';
import { MESSAGES as KPI, reportList } from '../../ui/kpi-board.js';

const MESSAGES = {
  zh: { 'reports.title': '报表', 'reports.subscribe': '生成后发到我的消息', 'reports.none_offered': '管理员未给您的角色开通报表',
    'reports.save': '保存', 'reports.saved': '已保存', 'reports.queued': '已保存，联网后提交', 'reports.offline': '离线：联网后可修改订阅',
    'reports.failed': '订阅加载失败：{message}' },
  en: { 'reports.title': 'Reports', 'reports.subscribe': 'Send these to my inbox when generated',
    'reports.none_offered': 'No reports are offered to your role', 'reports.save': 'Save', 'reports.saved': 'Saved',
    'reports.queued': 'Saved: it is sent when back online', 'reports.offline': 'Offline: change your subscription when back online',
    'reports.failed': 'Could not load your subscription: {message}' },
};

/** The subscription card: one checkbox per cadence the role may receive, saved through the outbox. */
function subscriptionCard(ctx) {
  const { api, t, write, toast } = ctx;
  const card = h('section', { class: 'card reports-subscription' }, h('h3', {}, t('reports.subscribe')));
  api.get('/api/analytics/subscription').then(({ cadences, available }) => {
    if (!available.length) { card.append(h('p', { class: 'empty' }, t('reports.none_offered'))); return; }
    const boxes = available.map((c) => h('input', { type: 'checkbox', name: c, checked: cadences.includes(c) }));
    const save = async () => {
      const chosen = available.filter((c, i) => boxes[i].checked);
      const res = await write('PUT', '/api/analytics/subscription', { cadences: chosen }, t('reports.subscribe'));
      toast(res.queued ? t('reports.queued') : t('reports.saved'));
    };
    card.append(h('fieldset', {}, available.map((c, i) => h('label', { class: 'check' }, boxes[i], ` ${t(`kpi.cadence.${c}`)} `))),
      h('button', { type: 'button', class: 'primary', onclick: () => save().catch((e) => toast(e.message)) }, t('reports.save')));
  }).catch((e) => card.append(h('p', { class: 'empty', role: 'status' },
    e.status === 0 ? t('reports.offline') : t('reports.failed', { message: e.message }))));
  return card;
}

export function render(root, ctx) {
  const { api, t, addMessages } = ctx;
  addMessages(KPI);
  addMessages(MESSAGES);
  const list = h('div', { class: 'reports-list' });
  root.append(h('h2', {}, t('reports.title')), subscriptionCard(ctx), list);
  let alive = true;
  catalogueNames(api).catch(() => ({ mines: [], mine: (id) => id })).then((names) => {
    if (alive) fill(list, reportList(api, { t, names, toast: ctx.toast }));
  });
  return () => { alive = false; };
}
