// What the shipper's screens share: the tab strip between them (one job a screen, not one 3,000-px page),
// and the carriers a load can be entrusted to (with their credit grades).
import { h } from '../../ui/dom.js';

export const MESSAGES = {
  zh: { 'sh.tab.order': '新建订单', 'sh.tab.loads': '在途运单', 'sh.tab.quotas': '配额', 'sh.tabs': '发货工作' },
  en: { 'sh.tab.order': 'New order', 'sh.tab.loads': 'Loads in progress', 'sh.tab.quotas': 'Quotas', 'sh.tabs': 'Shipping' },
};
const TABS = [['shipper-order', 'sh.tab.order'], ['shipper-loads', 'sh.tab.loads'], ['shipper-quotas', 'sh.tab.quotas']];

/** The tab strip on top of each shipper screen; the current one is marked for screen readers too. */
export function tabs(t, current) {
  return h('nav', { class: 'tabs', 'aria-label': t('sh.tabs') }, TABS.map(([id, key]) =>
    h('a', { href: `#/${id}`, class: 'tab', dataset: { tab: id }, 'aria-current': id === current ? 'page' : null }, t(key))));
}

/** Carrier companies a shipper can entrust to, with their credit grades (backend/trust: 50 a read). */
export async function carriersWithGrades(api) {
  const items = await api.get('/api/fleet/carriers').then((reply) => reply.items || []).catch(() => []);
  const chunks = [];
  for (let i = 0; i < items.length; i += 50) chunks.push(items.slice(i, i + 50));
  const replies = await Promise.all(chunks.map((chunk) => api.get(`/api/trust/grades?role=carrier&party_ids=${chunk.map((c) => encodeURIComponent(c.id)).join(',')}`).catch(() => ({ items: [] }))));
  const grades = new Map(replies.flatMap((r) => r.items).map((g) => [g.party_id, g.grade]));
  return items.map((c) => ({ ...c, grade: grades.get(c.id) || null }));
}
