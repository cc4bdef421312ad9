// Today's truck quota per shipper at a mine (the dispatch centre's plan and the shipper's own lines).
import { addMessages, t } from '../lib/i18n.js';
import { h } from './dom.js';

addMessages({
  zh: { 'quota.shipper': '货主', 'quota.mine': '煤矿', 'quota.quota': '配额', 'quota.used': '已用', 'quota.left': '剩余' },
  en: { 'quota.shipper': 'Shipper', 'quota.mine': 'Mine', 'quota.quota': 'Quota', 'quota.used': 'Used', 'quota.left': 'Left' },
});

/** quotas: [{shipper_id, shipper_name, mine_id, quota, used, left}] as a table; with `mine` (id -> name) a mine
 * column too (a shipper's quotas span mines; the dispatch centre's plan is one mine's). */
export function quotaTable(quotas, { mine = null } = {}) {
  const heads = [t('quota.shipper'), mine ? t('quota.mine') : null, t('quota.quota'), t('quota.used'), t('quota.left')];
  return h('table', { class: 'quotas' },
    h('thead', {}, h('tr', {}, heads.filter(Boolean).map((label) => h('th', { scope: 'col' }, label)))),
    h('tbody', {}, quotas.map((q) => h('tr', { dataset: { shipper: q.shipper_id, mine: q.mine_id } },
      h('td', {}, q.shipper_name || ''), mine ? h('td', { class: 'mine' }, mine(q.mine_id)) : null,
      h('td', {}, q.quota), h('td', {}, q.used), h('td', {}, q.left)))));
}
