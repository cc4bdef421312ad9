// The one set of formatters: weights are integer kg, money integer fen, distance m, time UTC epoch ms.
// Times are shown on the mine's clock (Asia/Shanghai) whatever the phone's zone: drivers, gate staff
// and buyers talk about the same window.
import { t } from './i18n.js';

const ZONE = 'Asia/Shanghai';
const DASH = '–';

const missing = (value) => value === null || value === undefined || Number.isNaN(value);

/** kg -> tonnes as a number string ('33.98'); '–' when unknown. */
export function tonnes(kg, digits = 2) {
  return missing(kg) ? DASH : (kg / 1000).toFixed(digits);
}

/** kg -> '33.98 吨' / '33.98 t' in the current language. */
export function weight(kg, digits = 2) {
  return t('unit.tonnes', { value: tonnes(kg, digits) });
}

/** fen -> yuan with two decimals and grouping ('1,234.50'). */
export function yuan(fen) {
  return (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** A count or measure with thousands grouping ('4,941'); at most two decimals. */
export function grouped(value) {
  return Number(value).toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** m -> km with one decimal ('12.3'); '–' when unknown. */
export function km(m) {
  return missing(m) ? DASH : (m / 1000).toFixed(1);
}

/** The time of day, '14:05' (or '14:05:09' with seconds); '' when there is none. */
export function clock(ms, { seconds = false } = {}) {
  if (missing(ms) || ms === 0) return '';
  return new Date(ms).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit',
    second: seconds ? '2-digit' : undefined, hourCycle: 'h23', timeZone: ZONE });
}

/** Date and time, '2026/11/29 14:05:09'; '' when there is none. */
export function dateTime(ms) {
  return missing(ms) || ms === 0 ? '' : new Date(ms).toLocaleString('zh-CN', { timeZone: ZONE, hour12: false });
}

/** The mine's calendar date of an instant, 'YYYY-MM-DD' (what the slot APIs take as ?date=). */
export function shanghaiDate(ms) {
  return new Date(ms + 8 * 3600e3).toISOString().slice(0, 10);
}
