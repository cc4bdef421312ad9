// zh-CN first, English second. Screens and widgets merge their own words with addMessages({zh:{...}, en:{...}}).
// Keys are namespaced by their owner ('trip.*' the trip screen, 'waybill.*' lib/waybill-words.js, ...):
// one key, one table, one meaning; tests/pwa/test_i18n.py fails on a key missing in either language.
const LANG_KEY = 'ch.lang';
const messages = { zh: {}, en: {} };
export const events = new EventTarget();

export function lang() {
  return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh';
}

export function setLang(value) {
  localStorage.setItem(LANG_KEY, value === 'en' ? 'en' : 'zh');
  document.documentElement.lang = lang() === 'en' ? 'en' : 'zh-CN';
  events.dispatchEvent(new CustomEvent('change', { detail: lang() }));
}

export function addMessages({ zh = {}, en = {} }) {
  Object.assign(messages.zh, zh);
  Object.assign(messages.en, en);
}

/** The text for `key` in the current language ({name} placeholders filled from `vars`). */
export function t(key, vars = {}) {
  const text = messages[lang()][key] ?? messages.zh[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

/** A {zh, en} pair (as in the screen registry's titles) in the current language. */
export function pick(pair) {
  return (pair && (pair[lang()] ?? pair.zh)) || '';
}

addMessages({
  zh: {
    app_name: '煤运通', phone: '手机号', password: '密码', sign_in: '登录', sign_out: '退出登录',
    signing_in: '正在登录…', online: '在线', offline: '离线', pending_writes: '待发送 {count} 条',
    update_available: '有新版本', reload: '重新加载', language: 'English', loading: '加载中…',
    session_expired: '登录已过期，请重新登录', queued: '已离线保存，联网后自动发送',
    delivered: '已发送：{label}', failed: '发送失败：{label} — {message}', load_failed: '加载失败：{message}',
    not_found: '没有这个页面', retry: '重试', close: '关闭', demo_hint: '演示账号密码：coalhaul123',
    'role.driver': '司机', 'role.carrier': '承运商', 'role.shipper': '货主', 'role.buyer': '终端客户',
    'role.gate': '门岗', 'role.dispatcher': '调度中心', 'role.admin': '管理员',
    'unit.tonnes': '{value} 吨', 'unit.km': '{value} 公里',
  },
  en: {
    app_name: 'Coal Haul', phone: 'Mobile number', password: 'Password', sign_in: 'Sign in',
    sign_out: 'Sign out', signing_in: 'Signing in…', online: 'Online', offline: 'Offline',
    pending_writes: '{count} pending', update_available: 'Update available', reload: 'Reload',
    language: '中文', loading: 'Loading…', session_expired: 'Session expired — please sign in again',
    queued: 'Saved offline — will send when back online', delivered: 'Sent: {label}',
    failed: 'Failed: {label} — {message}', load_failed: 'Could not load: {message}',
    not_found: 'No such screen', retry: 'Retry', close: 'Close', demo_hint: 'Demo password: coalhaul123',
    'role.driver': 'Driver', 'role.carrier': 'Carrier', 'role.shipper': 'Shipper', 'role.buyer': 'Buyer',
    'role.gate': 'Gate', 'role.dispatcher': 'Dispatch centre', 'role.admin': 'Admin',
    'unit.tonnes': '{value} t', 'unit.km': '{value} km',
  },
});

// Trust (ratings, credit, complaints, appeals): words shared by roles/common/trust*.js and roles/dispatcher/trust-queue.js.
addMessages({
  zh: {
    'trust.title': '我的信用', 'trust.score': '信用分', 'trust.grade': '等级', 'trust.ungraded': '未评级（满 {n} 单后评级）',
    'trust.loads': '近 {days} 天完成 {n} 单', 'trust.base': '基础分 {n}', 'trust.explain': '得分明细', 'trust.events': '计分事件',
    'trust.signal': '指标', 'trust.count': '次数', 'trust.each': '每次', 'trust.points': '得分', 'trust.cap': '上限',
    'trust.not_wired': '（暂未接入）', 'trust.suspended': '已暂停接单：{reason}', 'trust.hard_gate': '套牌确认：信用分为 0，待复核',
    'trust.ratings': '评价 {n} 条，平均 {avg} 星', 'trust.no_ratings': '暂无评价', 'trust.appeal': '申诉',
    'trust.appeal_reason': '申诉理由', 'trust.appealed': '已申诉', 'trust.removed': '已撤销', 'trust.no_events': '近 90 天没有计分事件',
    'trust.deposit_off': '保证金：{grades} 级司机抢单时从运费账户冻结 ¥{yuan}，货物送达（或退单、取消）后退还',
    'trust.min_grade': '抢我的货需要的最低司机等级', 'trust.min_grade_any': '不限', 'trust.save': '保存', 'trust.saved': '已保存',
    'trust.hall_hidden': '{n} 个货源要求更高的司机等级，未显示', 'trust.hall_suspended': '账号已暂停，暂不能抢单',
    'trust.rate.title': '评价', 'trust.rate.pick': '选择已送达的运单', 'trust.rate.none': '没有可评价的运单',
    'trust.rate.target': '评价对象', 'trust.rate.stars': '星级', 'trust.rate.tags': '标签', 'trust.rate.send': '提交评价',
    'trust.rate.sent': '评价已提交（24 小时内可修改）', 'trust.rate.yours': '你的评价：{stars} 星',
    'trust.target.driver': '司机', 'trust.target.carrier': '承运商', 'trust.target.shipper': '货主',
    'trust.target.buyer': '收货方', 'trust.target.mine': '矿方门岗',
    'trust.tag.load_fast': '装车快', 'trust.tag.load_slow': '装车慢', 'trust.tag.pay_fast': '结算快', 'trust.tag.pay_slow': '结算慢',
    'trust.tag.polite': '态度好', 'trust.tag.rude': '态度差', 'trust.tag.on_time': '准时', 'trust.tag.late': '迟到',
    'trust.tag.gate_fast': '过磅快',
    'trust.sig.completed': '完成运单', 'trust.sig.on_time': '按预约准时到达', 'trust.sig.no_show': '预约爽约',
    'trust.sig.cancel_after_grab': '接单后取消', 'trust.sig.cancel_after_1h': '接单 1 小时后取消', 'trust.sig.track_gap': '轨迹中断',
    'trust.sig.loss_over_allowance': '途损超标', 'trust.sig.complaint_at_fault': '被投诉且有责',
    'trust.sig.rating_good': '好评', 'trust.sig.rating_bad': '差评', 'trust.sig.certificate_expired': '证件过期',
    'trust.sig.paid_fast': '回单后 24 小时内付款', 'trust.sig.paid_slow': '回单后 72 小时仍未付款', 'trust.sig.fake_plate': '套牌确认',
    'trust.cp.title': '投诉与申诉', 'trust.cp.new': '我要投诉', 'trust.cp.category': '类别', 'trust.cp.text': '情况说明',
    'trust.cp.waybill': '运单号', 'trust.cp.about': '投诉对象', 'trust.cp.photos': '照片', 'trust.cp.send': '提交投诉',
    'trust.cp.sent': '投诉已提交，调度中心 24 小时内答复', 'trust.cp.mine': '我的投诉', 'trust.cp.none': '没有投诉',
    'trust.cp.due': '剩余 {h} 小时答复', 'trust.cp.overdue': '已超时 {h} 小时', 'trust.cp.answered': '已答复',
    'trust.cp.fault': '有责', 'trust.cp.no_fault': '无责', 'trust.cp.appeals': '我的申诉', 'trust.cp.no_appeals': '没有申诉',
    'trust.cat.late': '迟到', 'trust.cat.no_show': '爽约', 'trust.cat.cargo_loss': '货损/途损', 'trust.cat.attitude': '服务态度',
    'trust.cat.fees': '乱收费', 'trust.cat.safety': '安全', 'trust.cat.fraud': '欺诈/套牌', 'trust.cat.gate': '门岗/装车',
    'trust.cat.other': '其他',
    'trust.ap.pending': '待处理', 'trust.ap.upheld': '申诉成立', 'trust.ap.rejected': '申诉驳回',
    'trust.q.title': '投诉受理', 'trust.q.complaints': '投诉（按时限）', 'trust.q.appeals': '申诉', 'trust.q.outcome': '处理结果',
    'trust.q.response': '答复内容', 'trust.q.answer': '答复', 'trust.q.uphold': '成立', 'trust.q.reject': '驳回',
    'trust.q.reason': '理由', 'trust.q.done': '已处理', 'trust.q.none': '队列为空', 'trust.q.about': '对象 {id}',
    'trust.q.event': '事件 {id}', 'trust.q.lift': '解除暂停', 'trust.q.party': '当事方编号',
  },
  en: {
    'trust.title': 'My credit', 'trust.score': 'Credit score', 'trust.grade': 'Grade', 'trust.ungraded': 'Not graded yet (after {n} loads)',
    'trust.loads': '{n} loads in the last {days} days', 'trust.base': 'Base {n}', 'trust.explain': 'How the score adds up', 'trust.events': 'Contributing events',
    'trust.signal': 'Signal', 'trust.count': 'Count', 'trust.each': 'Each', 'trust.points': 'Points', 'trust.cap': 'Cap',
    'trust.not_wired': ' (not fed yet)', 'trust.suspended': 'Suspended: {reason}', 'trust.hard_gate': 'Fake plate confirmed: score 0 pending review',
    'trust.ratings': '{n} ratings, {avg} stars on average', 'trust.no_ratings': 'No ratings yet', 'trust.appeal': 'Appeal',
    'trust.appeal_reason': 'Why is this event wrong?', 'trust.appealed': 'Appealed', 'trust.removed': 'Removed', 'trust.no_events': 'No events in the last 90 days',
    'trust.deposit_off': 'Deposit: grade {grades} drivers have ¥{yuan} held from their freight account on a grab, returned when the load is delivered (or given back, or cancelled)',
    'trust.min_grade': 'Lowest driver grade that may grab my loads', 'trust.min_grade_any': 'Any', 'trust.save': 'Save', 'trust.saved': 'Saved',
    'trust.hall_hidden': '{n} loads ask for a higher driver grade and are hidden', 'trust.hall_suspended': 'Your account is suspended: no grabs for now',
    'trust.rate.title': 'Rate', 'trust.rate.pick': 'Pick a delivered load', 'trust.rate.none': 'No loads to rate',
    'trust.rate.target': 'Who', 'trust.rate.stars': 'Stars', 'trust.rate.tags': 'Tags', 'trust.rate.send': 'Send rating',
    'trust.rate.sent': 'Rating sent (you can change it for 24 h)', 'trust.rate.yours': 'Your rating: {stars} stars',
    'trust.target.driver': 'Driver', 'trust.target.carrier': 'Carrier', 'trust.target.shipper': 'Shipper',
    'trust.target.buyer': 'Consignee', 'trust.target.mine': "Mine's gate",
    'trust.tag.load_fast': 'Quick loading', 'trust.tag.load_slow': 'Slow loading', 'trust.tag.pay_fast': 'Pays fast', 'trust.tag.pay_slow': 'Pays slowly',
    'trust.tag.polite': 'Polite', 'trust.tag.rude': 'Rude', 'trust.tag.on_time': 'On time', 'trust.tag.late': 'Late',
    'trust.tag.gate_fast': 'Quick weighing',
    'trust.sig.completed': 'Completed loads', 'trust.sig.on_time': 'On time for the booked window', 'trust.sig.no_show': 'No-shows',
    'trust.sig.cancel_after_grab': 'Cancelled after the grab', 'trust.sig.cancel_after_1h': 'Cancelled over 1 h after the grab', 'trust.sig.track_gap': 'Track gaps',
    'trust.sig.loss_over_allowance': 'Loss beyond allowance', 'trust.sig.complaint_at_fault': 'Complaints at fault',
    'trust.sig.rating_good': 'Good ratings', 'trust.sig.rating_bad': 'Bad ratings', 'trust.sig.certificate_expired': 'Expired certificates',
    'trust.sig.paid_fast': 'Paid within 24 h of receipt', 'trust.sig.paid_slow': 'Unpaid 72 h after receipt', 'trust.sig.fake_plate': 'Fake plate confirmed',
    'trust.cp.title': 'Complaints & appeals', 'trust.cp.new': 'File a complaint', 'trust.cp.category': 'Category', 'trust.cp.text': 'What happened',
    'trust.cp.waybill': 'Waybill id', 'trust.cp.about': 'About', 'trust.cp.photos': 'Photos', 'trust.cp.send': 'Send complaint',
    'trust.cp.sent': 'Complaint sent: dispatch answers within 24 h', 'trust.cp.mine': 'My complaints', 'trust.cp.none': 'No complaints',
    'trust.cp.due': '{h} h left to answer', 'trust.cp.overdue': 'Overdue by {h} h', 'trust.cp.answered': 'Answered',
    'trust.cp.fault': 'At fault', 'trust.cp.no_fault': 'No fault', 'trust.cp.appeals': 'My appeals', 'trust.cp.no_appeals': 'No appeals',
    'trust.cat.late': 'Late', 'trust.cat.no_show': 'No-show', 'trust.cat.cargo_loss': 'Cargo loss', 'trust.cat.attitude': 'Attitude',
    'trust.cat.fees': 'Unfair fees', 'trust.cat.safety': 'Safety', 'trust.cat.fraud': 'Fraud / fake plate', 'trust.cat.gate': 'Gate / loading',
    'trust.cat.other': 'Other',
    'trust.ap.pending': 'Pending', 'trust.ap.upheld': 'Upheld', 'trust.ap.rejected': 'Rejected',
    'trust.q.title': 'Complaint desk', 'trust.q.complaints': 'Complaints (by deadline)', 'trust.q.appeals': 'Appeals', 'trust.q.outcome': 'Outcome',
    'trust.q.response': 'Answer', 'trust.q.answer': 'Answer', 'trust.q.uphold': 'Uphold', 'trust.q.reject': 'Reject',
    'trust.q.reason': 'Reason', 'trust.q.done': 'Done', 'trust.q.none': 'Queue is empty', 'trust.q.about': 'About {id}',
    'trust.q.event': 'Event {id}', 'trust.q.lift': 'Lift suspension', 'trust.q.party': 'Party id',
  },
});
