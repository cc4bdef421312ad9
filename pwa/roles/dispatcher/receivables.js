// Sales side (dispatch centre, admins): receivables (应收) — each mine's sales account and the shippers
// whose prepaid balance at a mine went below zero (credit and prepaid money are per mine's sales company) — plus the two money desks: set a shipper's credit limit, and
// record a shipper's bank transfer (once per bank reference; the server refuses a reference used twice).
import { yuan } from '../../lib/format.js';
import { pick } from '../../lib/i18n.js';
import { fill, h } from '../../ui/dom.js';
import { field } from '../../ui/field.js';
import { list } from '../../ui/list.js';

const MESSAGES = {
  zh: { 'recv.mine': '煤矿（销售公司）', 'recv.title': '应收账款', 'recv.total': '货主欠款合计 {yuan} 元', 'recv.mines': '各矿销售账户',
    'recv.owing': '欠款货主', 'recv.none': '没有欠款货主', 'recv.owes': '欠 {yuan} 元 · 授信 {limit} 元',
    'recv.sales': '{yuan} 元', 'recv.shipper': '货主', 'recv.limit_title': '设置授信额度', 'recv.limit': '授信额度（元）',
    'recv.limit_save': '保存额度', 'recv.limit_done': '{name} 授信额度 {yuan} 元', 'recv.pay_title': '登记预付款（银行到账）',
    'recv.amount': '到账金额（元）', 'recv.reference': '银行流水号', 'recv.pay_save': '登记到账',
    'recv.pay_done': '{name} 预付款到账 {yuan} 元', 'recv.pay_again': '该流水号已登记过，未重复入账',
    'recv.bad_yuan': '请输入金额（元，最多两位小数）', 'recv.queued': '已保存，联网后提交',
    'recv.adj_title': '运费调整（结算前）', 'recv.adj_waybill': '运单号', 'recv.adj_fen': '金额（元，扣款填负数）',
    'recv.adj_reason': '原因（司机可见）', 'recv.adj_save': '登记调整', 'recv.adj_done': '运单 {id} 已调整 {yuan} 元',
    'recv.adj_bad': '请输入非零金额（元，最多两位小数，扣款为负）' },
  en: { 'recv.mine': 'Mine (sales company)', 'recv.title': 'Receivables', 'recv.total': 'Shippers owe ¥{yuan} in all', 'recv.mines': 'Sales account per mine',
    'recv.owing': 'Shippers owing', 'recv.none': 'No shipper owes money', 'recv.owes': 'owes ¥{yuan} · credit ¥{limit}',
    'recv.sales': '¥{yuan}', 'recv.shipper': 'Shipper', 'recv.limit_title': 'Set a credit limit', 'recv.limit': 'Credit limit (CNY)',
    'recv.limit_save': 'Save the limit', 'recv.limit_done': '{name}: credit limit ¥{yuan}', 'recv.pay_title': 'Record a prepayment (bank transfer)',
    'recv.amount': 'Amount received (CNY)', 'recv.reference': 'Bank reference', 'recv.pay_save': 'Record the transfer',
    'recv.pay_done': '{name}: ¥{yuan} prepaid', 'recv.pay_again': 'This bank reference was already recorded: nothing moved again',
    'recv.bad_yuan': 'Enter an amount in CNY (at most two decimals)', 'recv.queued': 'Saved: it is sent when back online',
    'recv.adj_title': 'Freight adjustment (before settlement)', 'recv.adj_waybill': 'Waybill number',
    'recv.adj_fen': 'Amount (CNY, negative for a deduction)', 'recv.adj_reason': 'Reason (the driver sees it)',
    'recv.adj_save': 'Record the adjustment', 'recv.adj_done': 'Waybill {id} adjusted by ¥{yuan}',
    'recv.adj_bad': 'Enter a non-zero amount in CNY (at most two decimals, negative for a deduction)' },
};

/** Whole fen from a yuan text ('1,234.5' -> 123450), or null when it is not a money amount. */
function toFen(text) {
  const clean = String(text).replace(/[,\s，]/g, '');
  return /^\d+(\.\d{1,2})?$/.test(clean) ? Math.round(Number(clean) * 100) : null;
}

/** A form of labelled fields that shows the server's per-field errors; `send(values)` does the write. */
function moneyForm(ctx, { title, fields, submit, send }) {
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const form = h('form', { class: 'card', novalidate: true, 'aria-label': title }, h('h3', {}, title),
    fields.map((f) => f.el), error, h('button', { type: 'submit', class: 'primary block' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    fields.forEach((f) => f.setError(null));
    try {
      await send();
    } catch (e) {
      const named = e.fieldErrors || {};
      fields.forEach((f) => f.setError(named[f.input.name]));
      if (!Object.keys(named).length) { error.textContent = e.message; error.hidden = false; }
    }
  });
  return form;
}

export function render(root, ctx) {
  const { api, write, t, addMessages, toast } = ctx;
  addMessages(MESSAGES);
  const summary = h('section', { class: 'card receivables', 'aria-labelledby': 'recv-h' }, h('h2', { id: 'recv-h' }, t('recv.title')));
  const desks = h('div', { class: 'money-desks' });
  root.append(summary, desks);
  let alive = true;

  function shipperField(name, shippers) {
    return field({ name, label: t('recv.shipper'), options: shippers.map((s) => [s.org_id, s.name]) });
  }

  // Credit and prepaid money are per mine's sales company: each desk names the mine.
  function mineField(mines) {
    return field({ name: 'mine_id', label: t('recv.mine'), options: mines.map((m) => [m.mine_id, pick({ zh: m.name, en: m.name_en })]) });
  }

  function desksFor(shippers, mines) {
    const nameOf = (id) => (shippers.find((s) => s.org_id === id) || {}).name || '';
    const limitMine = mineField(mines);
    const payMine = mineField(mines);
    const limitShipper = shipperField('shipper_org_id', shippers);
    const limit = field({ name: 'limit_fen', label: t('recv.limit'), attrs: { inputmode: 'decimal', autocomplete: 'off' } });
    const payShipper = shipperField('shipper_org_id', shippers);
    const amount = field({ name: 'amount_fen', label: t('recv.amount'), attrs: { inputmode: 'decimal', autocomplete: 'off' } });
    const reference = field({ name: 'bank_reference', label: t('recv.reference'), attrs: { maxlength: 100, autocomplete: 'off' } });
    const limitForm = moneyForm(ctx, { title: t('recv.limit_title'), fields: [limitShipper, limitMine, limit], submit: t('recv.limit_save'),
      send: async () => {
        const fen = toFen(limit.input.value);
        if (fen === null) { limit.setError(t('recv.bad_yuan')); return; }
        const id = limitShipper.input.value;
        const res = await write('PUT', `/api/ledger/credit-limits/${encodeURIComponent(id)}`, { mine_id: limitMine.input.value, limit_fen: fen }, t('recv.limit_title'));
        toast(res.queued ? t('recv.queued') : t('recv.limit_done', { name: nameOf(id), yuan: yuan(fen) }));
        limit.input.value = '';
        refresh();
      } });
    const payForm = moneyForm(ctx, { title: t('recv.pay_title'), fields: [payShipper, payMine, amount, reference], submit: t('recv.pay_save'),
      send: async () => {
        const fen = toFen(amount.input.value);
        if (!fen) { amount.setError(t('recv.bad_yuan')); return; }
        const id = payShipper.input.value;
        const body = { shipper_org_id: id, mine_id: payMine.input.value, amount_fen: fen, bank_reference: reference.input.value.trim() };
        const res = await write('POST', '/api/ledger/prepayments', body, t('recv.pay_title'));
        if (res.queued) toast(t('recv.queued'));
        else toast(res.data.recorded ? t('recv.pay_done', { name: nameOf(id), yuan: yuan(fen) }) : t('recv.pay_again'));
        amount.input.value = '';
        reference.input.value = '';
        refresh();
      } });
    // A bonus or a deduction on one load's freight before it settles: its own line on the payee's earnings.
    const adjWaybill = field({ name: 'waybill_id', label: t('recv.adj_waybill'), attrs: { maxlength: 128, autocomplete: 'off' } });
    const adjFen = field({ name: 'fen', label: t('recv.adj_fen'), attrs: { inputmode: 'decimal', autocomplete: 'off' } });
    const adjReason = field({ name: 'reason', label: t('recv.adj_reason'), attrs: { maxlength: 200 } });
    const adjForm = moneyForm(ctx, { title: t('recv.adj_title'), fields: [adjWaybill, adjFen, adjReason], submit: t('recv.adj_save'),
      send: async () => {
        const text = adjFen.input.value.trim();
        const fen = toFen(text.replace(/^[-−]/, ''));
        if (!fen) { adjFen.setError(t('recv.adj_bad')); return; }
        const signed = /^[-−]/.test(text) ? -fen : fen;
        const id = adjWaybill.input.value.trim();
        const res = await write('POST', `/api/settlement/waybills/${encodeURIComponent(id)}/adjustments`,
          { fen: signed, reason: adjReason.input.value.trim() }, t('recv.adj_title'));
        toast(res.queued ? t('recv.queued') : t('recv.adj_done', { id, yuan: `${signed < 0 ? '−' : ''}${yuan(fen)}` }));
        adjFen.input.value = '';
        adjReason.input.value = '';
      } });
    fill(desks, limitForm, payForm, adjForm);
  }

  function show(data) {
    const mineName = (id) => { const m = data.mines.find((x) => x.mine_id === id); return m ? pick({ zh: m.name, en: m.name_en }) : id; };
    fill(summary, h('h2', { id: 'recv-h' }, t('recv.title')),
      h('p', { class: 'total' }, t('recv.total', { yuan: yuan(data.total_owing) })),
      h('h3', {}, t('recv.owing')),
      list(data.owing, (s) => h('div', { class: 'row owing', dataset: { mine: s.mine_id } }, h('strong', {}, s.name),
        h('span', { class: 'mine' }, mineName(s.mine_id)),
        h('span', { class: 'amount' }, t('recv.owes', { yuan: yuan(s.owing), limit: yuan(s.credit_limit) }))), { empty: t('recv.none') }),
      h('h3', {}, t('recv.mines')),
      list(data.mines, (m) => h('div', { class: 'row mine' }, h('span', {}, pick({ zh: m.name, en: m.name_en })),
        h('strong', { class: 'amount' }, t('recv.sales', { yuan: yuan(m.sales_balance) })))));
  }

  let desksShown = false;
  function refresh() {
    return api.get('/api/ledger/receivables').then((data) => {
      if (!alive) return;
      show(data);
      if (!desksShown) { desksShown = true; desksFor(data.shippers, data.mines); } // keep a half-typed form across refreshes
    }, (error) => { if (alive) toast(error.message); });
  }
  refresh();
  return () => { alive = false; };
}
