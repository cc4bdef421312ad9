// Live plate reads at this mine's gate, newest first, with their risk score and decision; refreshes itself.
import { clock } from '../../lib/format.js';
import { fill, h } from '../../ui/dom.js';
import { list } from '../../ui/list.js';

const MESSAGES = {
  zh: { 'si.none': '暂无过车记录', 'si.pass': '通过', 'si.alert': '预警', 'si.in': '入', 'si.out': '出', 'si.score': '风险',
    'si.misread': '相机识读为 {raw}，按易混字符匹配到登记车辆' },
  en: { 'si.none': 'No reads yet', 'si.pass': 'pass', 'si.alert': 'alert', 'si.in': 'in', 'si.out': 'out', 'si.score': 'risk',
    'si.misread': 'camera read {raw}; matched to the registered truck through look-alike characters' },
};
const REFRESH_MS = 10_000;

export function render(root, ctx) {
  ctx.addMessages(MESSAGES);
  const { t } = ctx;
  const body = h('div', { class: 'sightings-body', 'aria-live': 'polite' });
  root.append(h('section', { class: 'screen sightings-screen' }, body));
  let closed = false;
  async function load() {
    const reply = await ctx.api.get('/api/gate/sightings?limit=30').catch(() => null);
    if (!reply || closed) return;
    fill(body, list(reply.items, (s) => h('div', { class: `sighting-row ${s.decision || ''}`, 'data-sighting-id': s.id },
      h('strong', {}, s.plate), ` ${t(`si.${s.direction}`)} · `,
      clock(s.at, { seconds: true }),
      s.score == null ? '' : ` · ${t('si.score')} ${s.score.toFixed(2)}`,
      s.decision ? h('span', { class: `badge ${s.decision}` }, ` ${t(`si.${s.decision}`)}`) : '',
      s.alert_id ? h('button', { type: 'button', onclick: () => ctx.navigate('gate-alerts', { alert_id: s.alert_id }) }, '→') : '',
      // A read the confusion table resolved to a registered truck: staff see what the camera really read.
      s.resolved_from ? h('div', { class: 'muted misread' }, t('si.misread', { raw: s.resolved_from })) : ''),
    { empty: t('si.none') }));
  }
  load();
  const timer = setInterval(load, REFRESH_MS);
  return () => { closed = true; clearInterval(timer); };
}
