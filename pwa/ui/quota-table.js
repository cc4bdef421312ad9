// Today's truck quota per shipper at a mine (the dispatch centre's plan and the shipper's own line).
import { addMessages, t } from '../lib/i18n.js';
import { h } from './dom.js';

addMessages({
  zh: { 'quota.shipper': '货主', 'quota.quota': '配额', 'quota.used': '已用', 'quota.left': '剩余' },
  en: { 'quota.shipper': 'Shipper', 'quota.quota': 'Quota', 'quota.used': 'Used', 'quota.left': 'Left' },
});

/** quotas: [{shipper_id, shipper_name, mine_id, quota, used, left}] as a table. */
export function quotaTable(quotas) {
  return h('table', { class: 'quotas' },
    h('thead', {}, h('tr', {}, [t('quota.shipper'), t('quota.quota'), t('quota.used'), t('quota.left')]
      .map((label) => h('th', { scope: 'col' }, label)))),
    h('tbody', {}, quotas.map((q) => h('tr', { dataset: { shipper: q.shipper_id, mine: q.mine_id } },
      h('td', {}, q.shipper_name || q.shipper_id), h('td', {}, q.quota), h('td', {}, q.used), h('td', {}, q.left)))));
}
