// Shipper: quotas — the coal bought at each mine and what is left of it, and today's truck quota per mine
// (names of mines, never ids).
import { catalogueNames } from '../../lib/catalogue.js';
import { fill, h } from '../../ui/dom.js';
import { list } from '../../ui/list.js';
import { quotaTable } from '../../ui/quota-table.js';
import { MESSAGES as COMMON, tabs } from './common.js';

const MESSAGES = {
  zh: { 'sq.alloc': '我的配额煤量', 'sq.remaining': '剩余 {t} 吨 / 共 {total} 吨', 'sq.quota': '今日车数配额', 'sq.none': '暂无',
    'sq.no_quota': '今天还没有车数配额（调度中心每天早上计算）' },
  en: { 'sq.alloc': 'My allocations', 'sq.remaining': '{t} t left of {total} t', 'sq.quota': "Today's truck quota", 'sq.none': 'None',
    'sq.no_quota': 'No truck quota today yet (the dispatch centre computes it each morning)' },
};

export function render(root, ctx) {
  const { api, t, addMessages } = ctx;
  addMessages(COMMON);
  addMessages(MESSAGES);
  const body = h('div', {}, h('p', { class: 'loading' }, '…'));
  root.append(tabs(t, 'shipper-quotas'), body);
  let alive = true;
  Promise.all([api.get('/api/orders/allocations?limit=100'), api.get('/api/dispatch/quotas').catch(() => ({ quotas: [] })), catalogueNames(api)])
    .then(([allocs, quota, names]) => {
      if (!alive) return;
      fill(body,
        h('section', { class: 'card', 'aria-labelledby': 'sq-alloc' }, h('h2', { id: 'sq-alloc' }, t('sq.alloc')),
          list(allocs.items, (a) => h('div', { class: 'row allocation', dataset: { mine: a.mine_id } }, h('strong', {}, names.load(a)),
            h('span', {}, t('sq.remaining', { t: a.remaining_kg / 1000, total: a.purchased_kg / 1000 }))), { empty: t('sq.none') })),
        h('section', { class: 'card', 'aria-labelledby': 'sq-quota' }, h('h2', { id: 'sq-quota' }, t('sq.quota')),
          quota.quotas.length ? quotaTable(quota.quotas, { mine: names.mine }) : h('p', { class: 'empty' }, t('sq.no_quota'))));
    })
    .catch((e) => { if (alive) fill(body, h('p', { class: 'form-error', role: 'alert' }, e.message)); });
  return () => { alive = false; root.replaceChildren(); };
}
