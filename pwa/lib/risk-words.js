// An alert's evidence in plain words with units ("登记车辆 12 分钟前在 180 公里外，需 900 公里/小时才能赶到"), never
// the model's feature names (backend/risk/features.py FEATURE_NAMES, backend/gate/scoring.py evidence_of).
// tests/pwa/test_risk_words.py fails when the backend gains a feature, evidence number or rule without words here.
import { grouped } from './format.js';
import { lang } from './i18n.js';

const en = () => lang() === 'en';
const fill = (text, vars) => text.replace(/\{(\w+)\}/g, (_, k) => (vars[k] === undefined || vars[k] === null ? '–' : vars[k]));
const say = (pair, vars = {}) => fill(pair[en() ? 1 : 0], vars);
const n0 = (v) => grouped(Math.round(Number(v)));
const n1 = (v) => String(Math.round(Number(v) * 10) / 10);
const t1 = (kg) => (Number(kg) / 1000).toFixed(1);
const PLATE_COLOURS = { blue: ['蓝', 'blue'], yellow: ['黄', 'yellow'], green: ['绿', 'green'], yellow_green: ['黄绿', 'yellow-green'],
  white: ['白', 'white'], black: ['黑', 'black'] };
const colour = (c) => (PLATE_COLOURS[c] ? PLATE_COLOURS[c][en() ? 1 : 0] : (c || '–'));

// One model feature: what it measures, with its value in a unit people use ({v} already formatted).
export const FEATURE_WORDS = {
  fix_distance_m: [['登记车辆最后定位距门岗 {v} 公里', "The registered truck's last position was {v} km from the gate"], (v) => n1(v / 1000)],
  fix_age_s: [['登记车辆最后定位在 {v} 分钟前', "The registered truck's last position is {v} min old"], (v) => n0(v / 60)],
  fix_implied_speed_kmh: [['登记车辆需 {v} 公里/小时才能从最后定位赶到门岗', 'The registered truck would need {v} km/h to get here from its last position'], n0],
  fix_excess_km: [['即使全速行驶，登记车辆仍差 {v} 公里赶不到', 'Even at full speed the registered truck falls {v} km short'], n1],
  fix_heading_cos: [['登记车辆的行驶方向与门岗的一致程度 {v}（1 为正对门岗）', "How far the registered truck was heading to the gate: {v} (1 = straight at it)"], (v) => n1(v)],
  fix_report_gap_s: [['车载终端平时 {v} 分钟报一次位置', 'The truck terminal usually reports every {v} min'], (v) => n1(v / 60)],
  has_terminal: [['登记车辆{v}北斗终端', 'The registered truck {v} a Beidou terminal'], (v) => (v ? (en() ? 'has' : '装有') : (en() ? 'has no' : '没有'))],
  prev_sighting_implied_speed_kmh: [['从上次被其他门岗拍到的地点赶来需 {v} 公里/小时', 'Coming from the gate that last saw it would need {v} km/h'], n0],
  prev_sighting_excess_km: [['即使全速行驶，从上一个门岗仍差 {v} 公里赶不到', 'Even at full speed it falls {v} km short from the previous gate'], n1],
  distinct_gates_6h: [['6 小时内在 {v} 个不同门岗被拍到', 'Seen at {v} different gates within 6 hours'], n0],
  tare_dev_registry_kg: [['空车过磅与登记自重相差 {v} 吨', 'The empty weighing differs from the registered tare by {v} t'], t1],
  tare_dev_recent_kg: [['空车过磅与最近几次相差 {v} 吨', 'The empty weighing differs from its recent ones by {v} t'], t1],
  tare_history_dev_kg: [['空车重量与历史记录相差 {v} 吨', 'The empty weight differs from its history by {v} t'], t1],
  tare_history_closest_kg: [['与历史上最接近的一次空车重量相差 {v} 吨', 'Closest past empty weight is {v} t away'], t1],
  colour_mismatch_share: [['近期 {v}% 的拍照车牌颜色与登记不符', '{v}% of recent reads show a plate colour other than registered'], (v) => n0(v * 100)],
  type_mismatch_share: [['近期 {v}% 的拍照车型与登记不符', '{v}% of recent reads show a vehicle type other than registered'], (v) => n0(v * 100)],
  vehicle_colour_mismatch: [['车身颜色与登记{v}', 'Body colour {v} the registry'], (v) => (v ? (en() ? 'differs from' : '不符') : (en() ? 'matches' : '相符'))],
  vehicle_type_mismatch: [['车型与登记{v}', 'Vehicle type {v} the registry'], (v) => (v ? (en() ? 'differs from' : '不符') : (en() ? 'matches' : '相符'))],
  plate_colour_mismatch: [['车牌颜色与登记{v}', 'Plate colour {v} the registry'], (v) => (v ? (en() ? 'differs from' : '不符') : (en() ? 'matches' : '相符'))],
  read_confidence: [['车牌识别可信度 {v}%', 'Plate read confidence {v}%'], n0],
  lookalike_nearby: [['{v}', '{v}'], (v) => (v ? (en() ? 'A truck with a look-alike plate is near the gate' : '门岗附近有车牌相似的车辆') : (en() ? 'No look-alike plate nearby' : '附近没有车牌相似的车辆'))],
  is_night: [['{v}', '{v}'], (v) => (v ? (en() ? 'Read at night (20:00–06:00)' : '夜间过车（20:00–06:00）') : (en() ? 'Read in daytime' : '白天过车'))],
  active_waybill_at_mine: [['{v}', '{v}'], (v) => (v ? (en() ? 'Holds a waybill at this site' : '在本矿有进行中的运单') : (en() ? 'No waybill at this site' : '在本矿没有运单'))],
};

/** One strongest signal ({feature, value, typical}) in words: '6 小时内在 3 个不同门岗被拍到（通常 1）'. */
export function signalWords(signal) {
  const entry = FEATURE_WORDS[signal.feature];
  if (!entry) return en() ? 'Another sign of risk' : '其他风险迹象';
  const [words, unit] = entry;
  const text = say(words, { v: signal.value == null ? '–' : unit(signal.value) });
  if (signal.typical == null || typeof signal.typical === 'boolean') return text;
  return `${text}${en() ? ` (usually ${unit(signal.typical)})` : `（通常 ${unit(signal.typical)}）`}`;
}

// A hard rule or a weighing problem (alert.rules[].rule / .code).
export const RULE_WORDS = {
  invalid_plate: ['车牌格式无效', 'The plate is not a valid plate'],
  unknown_plate: ['车牌未登记', 'The plate is not registered'],
  heavy_on_blue: ['重型货车挂蓝牌', 'A heavy truck on a blue plate'],
  blocked_vehicle: ['车辆已被封禁', 'The truck is blocked'],
  tare_drift_registry: ['空车 {measured} 吨，登记自重 {registered} 吨', 'Empty {measured} t, registered tare {registered} t'],
  tare_drift_recent: ['空车 {measured} 吨，最近几次约 {recent} 吨', 'Empty {measured} t, recently about {recent} t'],
  over_legal_gross: ['超限：总重超过 {axles} 轴车的法定 {legal} 吨', 'Over the legal gross of {legal} t for {axles} axles'],
  over_rated_load: ['超载：净重超过核定载质量 {rated} 吨', 'Over the rated load of {rated} t'],
  over_ordered: ['超订单：净重超过订单 {ordered} 吨', 'Over the ordered {ordered} t'],
};

/** A rule ({rule} or {code, ...kg}) in words, the limits in 吨 from the alert's numbers. */
export function ruleWords(rule, numbers = {}) {
  const code = typeof rule === 'string' ? rule : (rule.rule || rule.code);
  const words = RULE_WORDS[code];
  if (!words) return en() ? 'A rule was broken' : '触发了一条规则';
  const kg = (v) => (v == null ? null : t1(v));
  return say(words, { measured: kg(rule.measured_kg), registered: kg(rule.registered_kg), recent: kg(rule.recent_median_kg),
    axles: numbers.axles, legal: kg(numbers.legal_gross_kg), rated: kg(numbers.rated_load_kg), ordered: kg(numbers.ordered_max_kg) });
}

/** The evidence numbers as [label, text] rows in plain words (keys without a meaning for people are left out). */
export function evidenceRows(numbers = {}) {
  const rows = [];
  const add = (zhEn, text) => rows.push([zhEn[en() ? 1 : 0], text]);
  const n = numbers;
  if ('distance_m' in n) {
    if (n.distance_m == null) add(['登记车辆定位', "Registered truck's position"], en() ? 'no position' : '无定位');
    else {
      const story = n.implied_speed_kmh != null && n.fix_age_s != null
        ? say(['登记车辆 {age} 分钟前在 {km} 公里外，需 {speed} 公里/小时才能赶到', 'The registered truck was {km} km away {age} min ago: it would need {speed} km/h to get here'],
          { age: n0(n.fix_age_s / 60), km: n0(n.distance_m / 1000), speed: n0(n.implied_speed_kmh) })
        : say(['登记车辆最后定位在 {km} 公里外', "The registered truck's last position was {km} km away"], { km: n1(n.distance_m / 1000) });
      add(['登记车辆定位', "Registered truck's position"], story);
    }
  }
  if (n.prev_sighting_speed_kmh != null) {
    add(['上一个门岗', 'Previous gate'], say(['从上次被拍到的门岗赶来需 {v} 公里/小时', 'Coming from the gate that last saw it needs {v} km/h'], { v: n0(n.prev_sighting_speed_kmh) }));
  }
  if (n.distinct_gates_6h != null) add(['门岗', 'Gates'], say(FEATURE_WORDS.distinct_gates_6h[0], { v: n0(n.distinct_gates_6h) }));
  if (n.plate_read) add(['相机读到的车牌', 'Plate the camera read'], n.plate_read);
  if (n.pass_plate) add(['通行证上的车牌', 'Plate on the gate pass'], n.pass_plate);
  if (n.read_confidence != null) add(['识别可信度', 'Read confidence'], `${n0(n.read_confidence)}%`);
  if (n.plate_color_read || n.plate_color_registered) {
    add(['车牌颜色', 'Plate colour'], say(['拍到{read}牌，登记{reg}牌', 'read {read}, registered {reg}'], { read: colour(n.plate_color_read), reg: colour(n.plate_color_registered) }));
  }
  if (n.seconds_apart != null) add(['扫码与拍牌相隔', 'Pass scan and plate read apart'], say(['{v} 秒', '{v} s'], { v: n0(n.seconds_apart) }));
  const tonnesRow = (key, label) => { if (n[key] != null) add(label, say(['{v} 吨', '{v} t'], { v: t1(n[key]) })); };
  tonnesRow('registered_tare_kg', ['登记自重', 'Registered tare']);
  tonnesRow('tare_kg', ['空车过磅', 'Empty weighing']);
  tonnesRow('kg', ['本次过磅', 'This weighing']);
  tonnesRow('gross_kg', ['毛重', 'Gross']);
  tonnesRow('net_kg', ['净重', 'Net']);
  tonnesRow('legal_gross_kg', ['法定总重上限', 'Legal gross limit']);
  tonnesRow('rated_load_kg', ['核定载质量', 'Rated load']);
  tonnesRow('ordered_max_kg', ['订单上限（含允差）', 'Order limit (with tolerance)']);
  tonnesRow('tare_tolerance_kg', ['自重允差', 'Tare tolerance']);
  if (n.axles != null) add(['轴数', 'Axles'], say(['{v} 轴', '{v} axles'], { v: n.axles }));
  return rows;
}

// Every number key evidenceRows reads (the test checks the backend's keys against it).
export const EVIDENCE_KEYS = ['distance_m', 'fix_age_s', 'implied_speed_kmh', 'prev_sighting_speed_kmh', 'distinct_gates_6h',
  'plate_read', 'pass_plate', 'read_confidence', 'plate_color_read', 'plate_color_registered', 'seconds_apart',
  'registered_tare_kg', 'tare_kg', 'kg', 'gross_kg', 'net_kg', 'legal_gross_kg', 'rated_load_kg', 'ordered_max_kg',
  'tare_tolerance_kg', 'axles'];

/** Why the alert was raised, in words: its rules, or the risk score against the threshold. */
export function alertReason(alert) {
  const numbers = (alert.evidence && alert.evidence.numbers) || {};
  const rules = (alert.rules || []).filter((r) => RULE_WORDS[typeof r === 'string' ? r : (r.rule || r.code)]);
  if (rules.length) return rules.map((r) => ruleWords(r, numbers)).join(en() ? '; ' : '；');
  if (alert.kind === 'fake_plate' && alert.score != null) {
    return say(['套牌风险 {score}（阈值 {threshold}）', 'Fake-plate risk {score} (threshold {threshold})'],
      { score: alert.score.toFixed(2), threshold: alert.threshold == null ? '–' : alert.threshold.toFixed(2) });
  }
  if (alert.kind === 'dual_id_mismatch') {
    return say(['通行证车牌 {pass} 与相机读到的 {read} 不符', 'Gate pass plate {pass} does not match the camera read {read}'],
      { pass: numbers.pass_plate, read: numbers.plate_read });
  }
  return alert.reason || '';
}

// The hold reason a waybill carries is the alert's server text (backend/gate/scoring.py _reason, weighing.py
// gross_problems/tare_problems, identify.py mismatch_reason): "超载 net 36000 kg > rated load 34000 kg". Its numbers
// are read back into the same words as the alert screen; anything else keeps only the half in the user's language.
const HELD = [
  [/^套牌风险 fake-plate risk ([\d.]+) ≥ ([\d.]+)$/, (m) => alertReason({ kind: 'fake_plate', score: Number(m[1]), threshold: Number(m[2]) })],
  [/^超限 gross (\d+) kg > (\d+) kg for (\d+) axles$/, (m) => ruleWords('over_legal_gross', { legal_gross_kg: m[2], axles: m[3] })],
  [/^超载 net (\d+) kg > rated load (\d+) kg$/, (m) => ruleWords('over_rated_load', { rated_load_kg: m[2] })],
  [/^超订单 net (\d+) kg > ordered (\d+) kg$/, (m) => ruleWords('over_ordered', { ordered_max_kg: m[2] })],
  [/^皮重偏差 tare (\d+) kg vs registered (\d+) kg/, (m) => ruleWords({ code: 'tare_drift_registry', measured_kg: m[1], registered_kg: m[2] })],
  [/^皮重偏差 tare (\d+) kg vs recent (\d+) kg/, (m) => ruleWords({ code: 'tare_drift_recent', measured_kg: m[1], recent_median_kg: m[2] })],
  [/^双重识别不符 plate read (\S+) ≠ pass plate (\S+)$/, (m) => alertReason({ kind: 'dual_id_mismatch', evidence: { numbers: { plate_read: m[1], pass_plate: m[2] } } })],
];

/** A held waybill's reason (server text) in the user's words. */
export function heldWords(reason) {
  if (!reason) return '';
  return String(reason).split(/;\s*/).map((part) => {
    for (const [pattern, words] of HELD) {
      const m = part.match(pattern);
      if (m) return words(m);
    }
    // "车牌格式无效 invalid plate format": the Chinese half in zh-CN, the rest in English.
    const cjk = part.match(/^([\u3000-\u9fff\uff00-\uffef]+)\s+(.+)$/);
    return cjk ? cjk[en() ? 2 : 1] : part;
  }).join(en() ? '; ' : '；');
}
