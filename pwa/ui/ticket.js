// One weigh ticket as a card (gate staff's list and the driver's tickets screen).
import { addMessages, t } from '../lib/i18n.js';
import { dateTime, weight } from '../lib/format.js';
import { ruleWords } from '../lib/risk-words.js';
import { h } from './dom.js';

// In the screen's language (吨 beside the other figures in 吨), with the weighbridge's two decimals.
const shown = (kg) => (kg == null ? '–' : weight(kg));

addMessages({
  zh: { 'wt.tare': '皮重', 'wt.gross': '毛重', 'wt.net': '净重', 'wt.held': '异常扣车', 'wt.axles': '轴' },
  en: { 'wt.tare': 'Tare', 'wt.gross': 'Gross', 'wt.net': 'Net', 'wt.held': 'Held', 'wt.axles': 'axles' },
});

/** A ticket ({id, kind: 'tare'|'gross', kg, tare_kg, net_kg, at, axles, held, problems}) as a card. */
export function ticketCard(w) {
  return h('div', { class: `ticket ${w.held ? 'held' : ''}`, 'data-ticket-id': w.id },
    h('strong', {}, `${w.plate || ''} · ${t(`wt.${w.kind}`)} ${shown(w.kg)}`),
    w.kind === 'gross' ? h('p', {}, `${t('wt.tare')} ${shown(w.tare_kg)} · ${t('wt.net')} ${shown(w.net_kg)}`) : null,
    h('p', {}, `${dateTime(w.at)}${w.axles ? ` · ${w.axles} ${t('wt.axles')}` : ''}`),
    w.held ? h('p', { class: 'ticket-problems' }, `${t('wt.held')}: ${(w.problems || []).map((p) => ruleWords(p, w.limits || {})).join('；')}`) : null);
}
