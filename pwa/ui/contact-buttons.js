// Call and navigate: big tel: buttons for a load's parties and a hand-off to the phone's map app, one thumb each.
import { mapLinks, telHref } from '../lib/handoff.js';
import { addMessages, t } from '../lib/i18n.js';
import { h } from './dom.js';

addMessages({
  zh: {
    'call.shipper': '货主', 'call.buyer': '收货人', 'call.carrier': '车队', 'call.gate': '门岗', 'call.to': '打电话给{who}',
    'nav.mine': '导航到矿', 'nav.destination': '导航到卸货地', 'nav.other': '其他地图',
  },
  en: {
    'call.shipper': 'Shipper', 'call.buyer': 'Receiver', 'call.carrier': 'Fleet office', 'call.gate': 'Gate',
    'call.to': 'Call: {who}', 'nav.mine': 'Navigate to the mine', 'nav.destination': 'Navigate to the delivery',
    'nav.other': 'Other map app',
  },
});

const PARTIES = ['shipper', 'buyer', 'carrier', 'gate'];

/** tel: buttons for the parties in `contacts` ({shipper, buyer, carrier, gate}: {name, phone}) that have a phone. */
export function callButtons(contacts, { first = null } = {}) {
  if (!contacts) return null;
  const order = first ? [first, ...PARTIES.filter((p) => p !== first)] : PARTIES;
  const links = order.map((who) => [who, contacts[who]]).filter(([, p]) => p && telHref(p.phone))
    .map(([who, p]) => h('a', { class: `button call call-${who}`, href: telHref(p.phone), dataset: { who },
      'aria-label': `${t('call.to', { who: t(`call.${who}`) })} ${p.name || p.phone}` },
    h('span', { class: 'who' }, t(`call.${who}`)), h('span', { class: 'name' }, p.name || p.phone)));
  return links.length ? h('div', { class: 'calls' }, links) : null;
}

/** Navigation to a WGS-84 [lon, lat] `point` ('mine' or 'destination'): AMap (GCJ-02 in the link only) and geo:. */
export function navButtons(point, name, to = 'destination') {
  if (!point) return null;
  const links = mapLinks(point, name);
  return h('div', { class: 'navs' },
    h('a', { class: 'button nav-amap', href: links.amap, target: '_blank', rel: 'noopener', dataset: { to } }, t(`nav.${to}`)),
    h('a', { class: 'button link nav-geo', href: links.geo }, t('nav.other')));
}
