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
