// A load's arrival fence at its delivery point, and (while the load is on its way) a radius to redraw it with:
// the buyer's orders and the shipper's loads both show it. Tracking's arrival and the receipt check use it.
import { addMessages, t } from '../lib/i18n.js';
import { h } from './dom.js';

addMessages({
  zh: { 'fence.radius': '卸货围栏：半径 {m} 米', 'fence.drawn': '卸货围栏：按场地绘制', 'fence.none': '无卸货围栏',
    'fence.edit': '调整围栏半径（米）', 'fence.save': '保存围栏', 'fence.saved': '围栏已更新' },
  en: { 'fence.radius': 'Delivery fence: {m} m radius', 'fence.drawn': 'Delivery fence: drawn for the site',
    'fence.none': 'No delivery fence', 'fence.edit': 'Fence radius (m)', 'fence.save': 'Save fence', 'fence.saved': 'Fence updated' },
});

// Until the coal is unloaded the fence may still move (a wrong gate, a bigger yard).
const EDITABLE = ['open', 'assigned', 'booked', 'checked_in', 'called', 'entered', 'tare_weighed', 'gross_weighed',
  'released', 'in_transit', 'arrived', 'held'];

/** The fence line of waybill `w`; editable loads get a radius form that writes through the outbox. */
export function fenceEditor(w, { write, toast, onSaved }) {
  const dest = w.destination || {};
  const words = !dest.polygon ? t('fence.none') : (dest.radius_m ? t('fence.radius', { m: dest.radius_m }) : t('fence.drawn'));
  if (!EDITABLE.includes(w.state) || !dest.point) return h('span', { class: 'fence' }, words);
  const radius = h('input', { type: 'number', name: 'radius_m', min: 50, max: 3000, step: 50, inputmode: 'numeric',
    value: dest.radius_m || 300 });
  const form = h('form', { class: 'fence-form' }, h('label', {}, t('fence.edit'), radius),
    h('button', { type: 'submit' }, t('fence.save')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await write('PUT', `/api/orders/loads/${w.id}/destination-fence`, { radius_m: Number(radius.value) }, t('fence.save'))
      .then(() => toast(t('fence.saved')), (e) => toast(e.message));
    onSaved();
  });
  return h('details', { class: 'fence' }, h('summary', {}, words), form);
}
