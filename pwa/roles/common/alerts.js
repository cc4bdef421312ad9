// Plate, weighing and trip alerts (gate staff, the dispatch centre, carriers for their own trucks): the list,
// and one alert's evidence (map of the gate vs the truck's last fix, the numbers, the strongest signals)
// with a resolve form: cleared lifts the hold, confirmed blocks. Carriers only read.
import { dateTime } from '../../lib/format.js';
import { alertReason, evidenceRows, ruleWords, signalWords } from '../../lib/risk-words.js';
import { fill, h } from '../../ui/dom.js';
import { field } from '../../ui/field.js';
import { list } from '../../ui/list.js';
import { confirmAction } from '../../ui/confirm.js';
import { pollList } from '../../lib/refresh.js';
import { addTiles, loadLeaflet } from '../../ui/map.js';

const MESSAGES = {
  zh: { 'al.open': '待处理', 'al.all': '全部', 'al.none': '没有预警', 'al.back': '返回列表', 'al.score': '风险分',
    'al.threshold': '阈值', 'al.distance': '与登记车辆最后定位距离', 'al.fix_age': '定位时长', 'al.speed': '推算速度',
    'al.signals': '主要依据', 'al.rules': '硬规则', 'al.outcome': '处理结果', 'al.cleared': '核实无误，放行',
    'al.confirmed': '确认套牌/违规，封禁车辆', 'al.confirm_q': '确认 {plate} 违规并封禁？封禁后这辆车不能再接单、进场。', 'al.reason': '处理说明', 'al.resolve': '提交', 'al.done': '已处理',
    'al.no_fix': '无定位', 'al.map_gate': '门岗', 'al.map_fix': '登记车辆最后定位', 'al.held': '已扣车',
    'al.queued': '已保存，联网后提交', 'al.fake_plate': '套牌预警', 'al.dual_id_mismatch': '双重识别不符', 'al.weighing': '称重异常',
    'al.title': '预警', 'al.route_deviation': '偏离路线', 'al.long_stop': '长时间停车',
    'al.signal_lost': '车辆失联', 'al.notify_failed': '短信未送达',
    'al.waybill': '运单', 'al.plate': '车牌', 'al.resolved_by': '处理说明',
    'al.status.open': '待处理', 'al.status.cleared': '已核实放行', 'al.status.confirmed': '已确认违规',
    'al.ledger_mismatch': '账目不平', 'al.payment': '支付异常', 'al.signal_lost': '定位信号中断', 'al.notify_failed': '短信未送达',
    'al.complaint_overdue': '投诉超时未处理' },
  en: { 'al.open': 'Open', 'al.all': 'All', 'al.none': 'No alerts', 'al.back': 'Back to list', 'al.score': 'Risk score',
    'al.threshold': 'threshold', 'al.distance': "Distance to the registered truck's last fix", 'al.fix_age': 'Fix age',
    'al.speed': 'Implied speed', 'al.signals': 'Strongest signals', 'al.rules': 'Hard rules', 'al.outcome': 'Outcome',
    'al.cleared': 'Checked: clear and release', 'al.confirmed': 'Confirmed: block the vehicle',
    'al.confirm_q': 'Confirm {plate} broke the rules and block it? A blocked truck takes no load and enters no gate.', 'al.reason': 'Reason',
    'al.resolve': 'Submit', 'al.done': 'Resolved', 'al.no_fix': 'no fix', 'al.map_gate': 'Gate',
    'al.map_fix': "Registered truck's last fix", 'al.held': 'Held', 'al.queued': 'Saved; will send when online',
    'al.fake_plate': 'Fake-plate alert', 'al.dual_id_mismatch': 'QR / plate mismatch', 'al.weighing': 'Weighing alert', 'al.title': 'Alerts', 'al.route_deviation': 'Off route', 'al.long_stop': 'Long stop',
    'al.signal_lost': 'Signal lost', 'al.notify_failed': 'SMS not delivered',
    'al.waybill': 'Waybill', 'al.plate': 'Plate', 'al.resolved_by': 'Resolution',
    'al.status.open': 'Open', 'al.status.cleared': 'Cleared', 'al.status.confirmed': 'Confirmed',
    'al.ledger_mismatch': 'Books out of balance', 'al.payment': 'Payment problem', 'al.signal_lost': 'Tracking signal lost',
    'al.notify_failed': 'SMS not delivered', 'al.complaint_overdue': 'Complaint overdue' },
};


function numbersList(t, alert) {
  const rows = [];
  if (alert.score != null) rows.push([t('al.score'), `${alert.score.toFixed(2)} (${t('al.threshold')} ${alert.threshold.toFixed(2)})`]);
  // The evidence in plain words with units (lib/risk-words.js), never the model's key names.
  rows.push(...evidenceRows((alert.evidence && alert.evidence.numbers) || {}));
  return h('dl', { class: 'numbers' }, rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function drawEvidenceMap(el, evidence, t) {
  const gate = evidence && evidence.gate; const fix = evidence && evidence.last_fix;
  if (!gate) { el.hidden = true; return () => {}; }
  let map = null; let closed = false;
  loadLeaflet().then((L) => {
    if (closed) return;
    map = L.map(el, { attributionControl: false });
    addTiles(L, map);
    const g = [gate.lonlat[1], gate.lonlat[0]];
    const pts = [g];
    L.circleMarker(g, { radius: 9, color: '#1565c0', fillOpacity: 0.9 }).bindTooltip(t('al.map_gate'), { permanent: true }).addTo(map);
    if (fix) {
      const f = [fix.lonlat[1], fix.lonlat[0]];
      pts.push(f);
      L.circleMarker(f, { radius: 9, color: '#c62828', fillOpacity: 0.9 }).bindTooltip(`${t('al.map_fix')} ${dateTime(fix.at_ms)}`, { permanent: true }).addTo(map);
      L.polyline(pts, { color: '#c62828', dashArray: '6 6' }).addTo(map);
    }
    if (pts.length > 1) map.fitBounds(pts, { padding: [40, 40] }); else map.setView(g, 13);
  }).catch(() => { el.hidden = true; });
  return () => { closed = true; if (map) map.remove(); };
}

function resolveForm(ctx, alert, onDone) {
  const { t } = ctx;
  const outcome = field({ name: 'outcome', label: t('al.outcome'), value: 'cleared',
    options: [['cleared', t('al.cleared')], ['confirmed', t('al.confirmed')]] });
  const reason = field({ name: 'reason', label: t('al.reason'), attrs: { required: true, maxlength: 200 } });
  const form = h('form', { class: 'resolve-form' }, outcome.el, reason.el, h('button', { type: 'submit', class: 'primary' }, t('al.resolve')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    reason.setError(null);
    // Confirming blocks the truck (or its driver): asked once more, with the plate named.
    if (outcome.input.value === 'confirmed' && !(await confirmAction(t('al.confirm_q', { plate: alert.plate || '' }), { yes: t('al.confirmed') }))) return;
    try {
      const body = { outcome: outcome.input.value, reason: reason.input.value.trim() };
      const res = await ctx.write('POST', `/api/alerts/${alert.id}/resolve`, body, `${t('al.resolve')} ${alert.plate || ''}`);
      ctx.toast(res.queued ? t('al.queued') : t('al.done'));
      onDone();
    } catch (err) {
      const fields = err.fieldErrors || {};
      reason.setError(fields.reason || fields.outcome || err.message);
    }
  });
  return form;
}

function detail(ctx, alert, back) {
  const { t } = ctx;
  const mapEl = h('div', { class: 'map evidence-map', style: 'height:260px', 'aria-label': t('al.map_fix') });
  const signals = (alert.signals || []).map((s) => h('li', {}, signalWords(s)));
  const rules = (alert.rules || []).map((r) => h('li', {}, ruleWords(r, (alert.evidence && alert.evidence.numbers) || {})));
  const section = h('section', { class: 'alert-detail', 'data-alert-id': alert.id },
    h('button', { type: 'button', onclick: back }, `← ${t('al.back')}`),
    h('h2', {}, `${t(`al.${alert.kind}`)} · ${alert.plate || ''}`),
    h('p', { class: 'alert-reason' }, alertReason(alert)),
    h('p', {}, `${dateTime(alert.created_at)} ${alert.held ? `· ${t('al.held')}` : ''}`),
    mapEl, numbersList(t, alert),
    signals.length ? [h('h3', {}, t('al.signals')), h('ul', {}, signals)] : null,
    rules.length ? [h('h3', {}, t('al.rules')), h('ul', {}, rules)] : null,
    // Carriers watch their own trucks' trip alerts; resolving is the gate's and the dispatch centre's job.
    alert.status === 'open' ? (ctx.user.role === 'carrier' ? null : resolveForm(ctx, alert, back))
      : h('p', { class: 'resolution' }, `${t('al.done')}: ${t(`al.status.${alert.status}`)} — ${alert.resolution_reason || ''}`));
  return { section, cleanup: drawEvidenceMap(mapEl, alert.evidence, t) };
}

export function render(root, ctx) {
  ctx.addMessages(MESSAGES);
  const { t } = ctx;
  const body = h('div', { class: 'alerts-body' });
  let status = 'open'; let cleanupDetail = () => {}; let closed = false;
  // 全部 is every alert, resolved ones too (the server lists all statuses when none is named).
  const tab = (value, label) => h('button', { type: 'button', class: 'tab', dataset: { status: value || 'all' },
    'aria-pressed': String(status === value), onclick: () => { status = value; showList(); } }, label);
  const tabs = h('div', { class: 'tabs', role: 'group' }, tab('open', t('al.open')), tab('', t('al.all')));
  root.append(h('section', { class: 'screen alerts-screen' }, h('h2', {}, t('al.title')), tabs, body));

  // The list refreshes by itself while it is shown (a new alert appears without a reload); a detail stays still.
  let last = null; let inDetail = Boolean(ctx.params && ctx.params.alert_id);
  function draw() {
    if (closed || inDetail || !last) return;
    fill(body, list(last.items, (a) => h('button', { type: 'button', class: `alert-row ${a.status}`, 'data-alert-id': a.id,
      'data-status': a.status, onclick: () => showDetail(a.id) }, `${a.plate || '–'} · ${t(`al.${a.kind}`)} · ${alertReason(a)}`,
      h('span', { class: `tag status-${a.status}` }, t(`al.status.${a.status}`))), { empty: t('al.none') }));
  }
  const listPath = () => `/api/alerts?limit=50${status ? `&status=${status}` : ''}`;
  let shownPath = listPath();
  const poller = pollList(ctx.api, listPath, (data) => { last = data; shownPath = listPath(); draw(); },
    { onError: () => { if (!last) { last = { items: [] }; draw(); } } });

  function showList() {
    cleanupDetail(); cleanupDetail = () => {};
    inDetail = false;
    tabs.querySelectorAll('.tab').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.status === (status || 'all'))));
    if (shownPath !== listPath()) last = null; // another tab: wait for its own list
    draw();
    poller.now();
  }

  async function showDetail(id) {
    inDetail = true;
    const alert = await ctx.api.get(`/api/alerts/${id}`);
    if (closed) return;
    const view = detail(ctx, alert, showList);
    cleanupDetail = view.cleanup;
    fill(body, view.section);
  }

  if (ctx.params && ctx.params.alert_id) showDetail(ctx.params.alert_id);
  return () => { closed = true; poller.stop(); cleanupDetail(); };
}
