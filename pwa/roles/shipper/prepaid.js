// Shipper: the company's prepaid money (预付款) per mine's sales company — what it holds, the credit that sales company allows,
// what it can still spend on loads, and the newest entries. Figures come from
// GET /api/ledger/shippers/<org>/position in fen; the full statement is the ledger's statement endpoint.
import { dateTime, yuan } from '../../lib/format.js';
import { pick } from '../../lib/i18n.js';
import { fill, h } from '../../ui/dom.js';
import { list } from '../../ui/list.js';

const MESSAGES = {
  zh: { 'pp.title': '预付款', 'pp.balance': '余额', 'pp.credit': '授信额度', 'pp.available': '可用金额',
    'pp.owing': '已用授信 {yuan} 元，请及时打款', 'pp.recent': '最近明细', 'pp.none': '暂无明细',
    'pp.transfer': '银行转账 {ref}', 'pp.load': '运单结算', 'pp.other': '其他调整', 'pp.yuan': '{yuan} 元',
    'pp.mine': '煤矿（销售公司）', 'pp.all': '全部煤矿合计', 'pp.no_mines': '尚未在任何煤矿预付或获得授信',
    'pp.mine_row': '余额 {balance} · 授信 {credit} · 可用 {available} 元' },
  en: { 'pp.title': 'Prepaid balance', 'pp.balance': 'Balance', 'pp.credit': 'Credit limit', 'pp.available': 'Available',
    'pp.owing': '¥{yuan} of credit used: please transfer funds', 'pp.recent': 'Recent entries', 'pp.none': 'No entries yet',
    'pp.transfer': 'Bank transfer {ref}', 'pp.load': 'Load settlement', 'pp.other': 'Other adjustment', 'pp.yuan': '¥{yuan}',
    'pp.mine': 'Mine (sales company)', 'pp.all': 'All mines together', 'pp.no_mines': 'No prepayment or credit at any mine yet',
    'pp.mine_row': 'balance ¥{balance} · credit ¥{credit} · available ¥{available}' },
};
const TRANSFER = 'prepay_bank_';

/** What an entry was, in words: a bank transfer (with its reference), a load's settlement, or another adjustment. */
function entryWhat(t, entry) {
  if (entry.entry_id.startsWith(TRANSFER)) return t('pp.transfer', { ref: entry.entry_id.slice(TRANSFER.length) });
  return t(entry.waybill_id ? 'pp.load' : 'pp.other');
}

function figure(t, label, fen, cls) {
  return [h('dt', {}, label), h('dd', { class: `amount ${cls}` }, t('pp.yuan', { yuan: yuan(fen) }))];
}

export function render(root, ctx) {
  const { api, t, addMessages, user } = ctx;
  addMessages(MESSAGES);
  const body = h('section', { class: 'card prepaid', 'aria-labelledby': 'pp-h', 'aria-live': 'polite' },
    h('h2', { id: 'pp-h' }, t('pp.title')));
  root.append(body);
  let alive = true;
  const base = `/api/ledger/shippers/${encodeURIComponent(user.org_id)}/position`;
  const mineName = (m) => pick({ zh: m.name, en: m.name_en });

  // Money is held per mine's sales company: the totals, a row per mine, and one mine's figures and entries.
  function show(p, mineId) {
    const picker = h('select', { name: 'mine_id', 'aria-label': t('pp.mine') },
      h('option', { value: '' }, t('pp.all')),
      p.mines.map((m) => h('option', { value: m.mine_id, selected: m.mine_id === mineId }, mineName(m))));
    picker.addEventListener('change', () => load(picker.value));
    fill(body, h('h2', { id: 'pp-h' }, t('pp.title')),
      h('label', { class: 'mine-pick' }, t('pp.mine'), picker),
      h('dl', { class: 'figures', dataset: { mine: mineId || '' } }, figure(t, t('pp.balance'), p.balance, 'balance'),
        figure(t, t('pp.credit'), p.credit_limit, 'credit'), figure(t, t('pp.available'), p.available, 'available')),
      p.balance < 0 ? h('p', { class: 'warning', role: 'status' }, t('pp.owing', { yuan: yuan(-p.balance) })) : null,
      mineId ? [h('h3', {}, t('pp.recent')),
        list(p.entries, (e) => h('div', { class: 'row entry', dataset: { amount: e.amount } },
          h('span', {}, dateTime(e.at)), h('span', {}, entryWhat(t, e)),
          h('strong', { class: 'amount' }, `${e.amount > 0 ? '+' : '−'}${yuan(Math.abs(e.amount))}`)),
        { empty: t('pp.none') })]
        : list(p.mines.filter((m) => m.balance || m.credit_limit), (m) => h('div', { class: 'row mine', dataset: { mine: m.mine_id } },
          h('span', {}, mineName(m)), h('span', { class: 'amount' }, t('pp.mine_row', {
            balance: yuan(m.balance), credit: yuan(m.credit_limit), available: yuan(m.available) }))),
        { empty: t('pp.no_mines') }));
  }

  function load(mineId) {
    api.get(mineId ? `${base}?mine_id=${encodeURIComponent(mineId)}` : base).then((p) => { if (alive) show(p, mineId); }, (error) => {
      if (alive) fill(body, h('h2', { id: 'pp-h' }, t('pp.title')), h('p', { class: 'error', role: 'alert' }, error.message));
    });
  }
  load(ctx.params.mine || '');
  return () => { alive = false; };
}
