// Earnings per waybill for the driver and the carrier: what the freight is, what was taken off and why
// (which weight, which allowance, which price), and the waiting money (压车费). Figures come from
// GET /api/settlement/waybills/<id>, computed by the server; this screen only explains them.
import { clock, weight, yuan } from '../../lib/format.js';
import { stateName } from '../../lib/waybill-words.js';
import { fill, h } from '../../ui/dom.js';

const MESSAGES = {
  zh: {
    'earn.none': '暂无已过磅的运单',
    'earn.open': '查看明细',
    'earn.back': '返回列表',
    'earn.total': '应得运费合计',
    'earn.freight': '运费（装车净重 {net} × {rate} 元/吨）',
    'earn.prepaid_cash': '预付现金（出厂放行时）',
    'earn.prepaid_fuel_card': '预付油卡（出厂放行时）',
    'earn.fee': '平台服务费（{permille}‰）',
    'earn.loss': '途损扣款：亏吨 {loss}，允许 {allowance}，超出 {excess} × 煤价 {price} 元/吨',
    'earn.loss_none': '途损 {loss}，在允许范围 {allowance} 内，不扣款',
    'earn.loss_waived': '超出部分中未扣的金额',
    'earn.adjustment': '调整：{reason}（结算时）',
    'earn.receipt': '回单付（收货确认后）',
    'earn.rounding': '抹零（按 {unit} 元取整，留给付款方）',
    'earn.detention': '压车费（准时签到，等待 {waited} 分钟，免费 {free} 分钟，{rate} 元/小时）',
    'earn.detention_none': '无压车费',
    'earn.weights': '矿发净重 {net}，收货 {received}',
    'earn.received_unknown': '未卸货',
    'earn.allowance_kg': '每车 {value} 公斤',
    'earn.allowance_permille': '净重的 {value}‰',
    'earn.status.not_weighed': '未过磅',
    'earn.status.in_progress': '运输中（预估）',
    'earn.status.disputed': '收货有争议，暂缓结算',
    'earn.status.confirmed': '已确认，待结算',
    'earn.status.settled': '已结算入账',
    'earn.contract': '合同：{source}',
    'earn.contract_default': '平台默认条款',
    'earn.contract_mine': '煤矿标准条款',
    'earn.contract_shipper': '货主与煤矿的合同',
  },
  en: {
    'earn.none': 'No weighed waybills yet',
    'earn.open': 'Details',
    'earn.back': 'Back to the list',
    'earn.total': 'Freight due in all',
    'earn.freight': 'Freight (loaded net {net} × ¥{rate}/t)',
    'earn.prepaid_cash': 'Prepaid in cash (at weigh-out)',
    'earn.prepaid_fuel_card': 'Prepaid on the fuel card (at weigh-out)',
    'earn.fee': 'Platform service fee ({permille}‰)',
    'earn.loss': 'Loss in transit: {loss} lost, {allowance} allowed, {excess} beyond × coal ¥{price}/t',
    'earn.loss_none': 'Loss in transit {loss}, within the allowance of {allowance}: nothing deducted',
    'earn.loss_waived': 'Of the excess, not deducted',
    'earn.adjustment': 'Adjustment: {reason} (at settlement)',
    'earn.receipt': 'Paid on the receipt (after the buyer confirms)',
    'earn.rounding': 'Rounded off (to ¥{unit}, kept by the payer)',
    'earn.detention': 'Detention (on time, waited {waited} min, {free} min free, ¥{rate}/h)',
    'earn.detention_none': 'No detention',
    'earn.weights': 'Mine net {net}, received {received}',
    'earn.received_unknown': 'not unloaded',
    'earn.allowance_kg': '{value} kg per truck',
    'earn.allowance_permille': '{value}‰ of the net',
    'earn.status.not_weighed': 'Not weighed',
    'earn.status.in_progress': 'On the way (estimate)',
    'earn.status.disputed': 'Receipt disputed: settlement waits',
    'earn.status.confirmed': 'Confirmed, to be settled',
    'earn.status.settled': 'Settled and credited',
    'earn.contract': 'Contract: {source}',
    'earn.contract_default': 'platform default terms',
    'earn.contract_mine': "the mine's standard terms",
    'earn.contract_shipper': "the shipper's contract at the mine",
  },
};
const WEIGHED = ['gross_weighed', 'released', 'in_transit', 'arrived', 'unloaded', 'confirmed', 'disputed', 'settled'];
const STATUS = {
  not_weighed: 'earn.status.not_weighed', in_progress: 'earn.status.in_progress', disputed: 'earn.status.disputed',
  confirmed: 'earn.status.confirmed', settled: 'earn.status.settled',
};

function row(label, fen, { minus = false, cls = '' } = {}) {
  return h('tr', { class: cls },
    h('th', { scope: 'row' }, label),
    h('td', { class: 'amount' }, `${minus && fen ? '−' : ''}${yuan(fen)}`));
}

function allowanceText(t, terms) {
  return terms.allowance_kind === 'kg'
    ? t('earn.allowance_kg', { value: terms.allowance_value })
    : t('earn.allowance_permille', { value: terms.allowance_value });
}

/** The breakdown as a table a driver can check line by line. */
export function breakdownView(t, b) {
  const f = b.figures;
  const prepaid = b.terms.prepaid_form === 'fuel_card' ? t('earn.prepaid_fuel_card') : t('earn.prepaid_cash');
  const loss = f.excess_loss_kg > 0
    ? t('earn.loss', {
      loss: weight(f.loss_kg, 3), allowance: `${weight(f.allowance_kg, 3)} (${allowanceText(t, b.terms)})`,
      excess: weight(f.excess_loss_kg, 3), price: yuan(b.prices.coal_fen_per_t || 0),
    })
    : t('earn.loss_none', { loss: weight(f.loss_kg, 3), allowance: `${weight(f.allowance_kg, 3)} (${allowanceText(t, b.terms)})` });
  const d = b.detention;
  const rows = [
    row(t('earn.freight', { net: weight(b.weights.net_kg), rate: yuan(b.prices.freight_fen_per_t || 0) }), f.freight_fen),
    row(prepaid, f.prepaid_fen),
    row(t('earn.fee', { permille: b.terms.fee_permille }), f.fee_fen, { minus: true }),
    row(loss, f.loss_deduction_fen, { minus: true, cls: 'loss' }),
    f.loss_uncollected_fen ? row(t('earn.loss_waived'), f.loss_uncollected_fen) : null,
    row(t('earn.rounding', { unit: yuan(b.terms.rounding_fen) }), f.rounding_fen, { minus: true }),
    row(t('earn.receipt'), f.receipt_payout_fen),
    // Each adjustment its own row, as it moves (a deduction takes at most what the load earned).
    ...(b.adjustments || []).map((a) => row(t('earn.adjustment', { reason: a.reason }), Math.abs(a.applied_fen),
      { minus: a.applied_fen < 0, cls: 'adjustment' })),
    d.fen
      ? row(t('earn.detention', { waited: d.waited_minutes, free: d.free_minutes, rate: yuan(d.fen_per_hour) }), d.fen, { cls: 'detention' })
      : h('tr', { class: 'detention' }, h('th', { scope: 'row' }, t('earn.detention_none')), h('td', {}, '')),
    row(t('earn.total'), f.payee_total_fen, { cls: 'total' }),
  ];
  const received = b.weights.received_kg === null || b.weights.received_kg === undefined
    ? t('earn.received_unknown') : weight(b.weights.received_kg, 3);
  const source = t({ mine: 'earn.contract_mine', shipper: 'earn.contract_shipper' }[b.terms.source.split(':')[0]]
    || 'earn.contract_default');
  return h('article', { class: 'earnings-detail', dataset: { waybill: b.waybill_id, status: b.status } },
    h('h3', {}, b.waybill_id),
    h('p', { class: 'earn-status' }, t(STATUS[b.status] || 'earn.status.in_progress')),
    h('p', { class: 'earn-weights' }, t('earn.weights', { net: weight(b.weights.net_kg, 3), received })),
    h('p', { class: 'earn-contract' }, t('earn.contract', { source })),
    h('table', { class: 'earnings' }, h('tbody', {}, rows)));
}

export function render(root, ctx) {
  ctx.addMessages(MESSAGES);
  const { t } = ctx;
  const body = h('div', { class: 'earnings-body', 'aria-live': 'polite' });
  root.append(h('section', { class: 'screen earnings-screen' }, body));
  let closed = false;

  async function showOne(id) {
    const b = await ctx.api.get(`/api/settlement/waybills/${encodeURIComponent(id)}`);
    if (closed) return;
    fill(body,
      h('a', { href: '#/earnings', class: 'back' }, t('earn.back')),
      breakdownView(t, b));
  }

  async function showList() {
    const reply = await ctx.api.get('/api/waybills?limit=20').catch(() => ({ items: [] }));
    const weighed = reply.items.filter((w) => WEIGHED.includes(w.state));
    if (closed) return;
    fill(body, weighed.length
      ? h('ul', { class: 'earnings-list' }, weighed.map((w) => h('li', { dataset: { waybill: w.id } },
        h('a', { href: `#/earnings?waybill=${encodeURIComponent(w.id)}`, class: 'row' },
          `${w.plate || ''} · ${stateName(w.state)} · ${weight(w.net_kg)} · ${clock(w.updated_at)} · ${t('earn.open')}`))))
      : h('p', { class: 'empty' }, t('earn.none')));
  }

  (ctx.params.waybill ? showOne(ctx.params.waybill) : showList()).catch((error) => {
    if (!closed) fill(body, h('p', { class: 'error', role: 'alert' }, error.message || String(error)));
  });
  return () => { closed = true; };
}
