// Book a mine window for an assigned waybill: say when the truck can be at the mine (by hand or from my position),
// get the earliest window with room and a standby place for earlier full ones; free seats, book / move / cancel.
import { catalogueNames } from '../../lib/catalogue.js';
import { clock, shanghaiDate } from '../../lib/format.js';
import { fill, h } from '../../ui/dom.js';

const MESSAGES = {
  zh: {
    'bk.none': '没有待预约的运单', 'bk.waybill': '{load} · {tonnes} 吨', 'bk.mine': '矿点', 'bk.date': '日期',
    'bk.today': '今天', 'bk.tomorrow': '明天', 'bk.free': '余 {n} 位', 'bk.full': '已满', 'bk.closed': '已关闭',
    'bk.book': '预约', 'bk.move': '改到此时段', 'bk.cancel': '取消预约', 'bk.booked': '已预约 {time}',
    'bk.suggested': '推荐（按您的位置）', 'bk.eta': '预计 {time} 到矿', 'bk.done': '预约成功', 'bk.moved': '已改约',
    'bk.cancelled': '已取消预约', 'bk.current': '当前预约', 'bk.windows': '可预约时段', 'bk.early': '到早了需等待',
    'bk.ready': '我最早何时能到矿', 'bk.ready_gps': '按我的位置估算', 'bk.offer': '找最早的时段',
    'bk.offered': '最早有空位：{time}', 'bk.none_free': '近期时段都已满', 'bk.standby': '同时候补更早的时段（{n} 个已满）',
    'bk.on_standby': '候补中：有人空出更早的位置会自动改约并通知您（{time} 起可到）', 'bk.arrive_by': '请于 {time} 前到停车场',
  },
  en: {
    'bk.none': 'No waybill waiting for a booking', 'bk.waybill': '{load} · {tonnes} t', 'bk.mine': 'Mine', 'bk.date': 'Date',
    'bk.today': 'Today', 'bk.tomorrow': 'Tomorrow', 'bk.free': '{n} free', 'bk.full': 'Full', 'bk.closed': 'Closed',
    'bk.book': 'Book', 'bk.move': 'Move here', 'bk.cancel': 'Cancel booking', 'bk.booked': 'Booked {time}',
    'bk.suggested': 'Suggested (from your position)', 'bk.eta': 'ETA at the mine {time}', 'bk.done': 'Booked',
    'bk.moved': 'Moved', 'bk.cancelled': 'Booking cancelled', 'bk.current': 'Current booking', 'bk.windows': 'Windows',
    'bk.early': 'you would wait',
    'bk.ready': 'Earliest I can be at the mine', 'bk.ready_gps': 'From my position', 'bk.offer': 'Find the earliest window',
    'bk.offered': 'Earliest with room: {time}', 'bk.none_free': 'The coming windows are full',
    'bk.standby': 'Also stand by for earlier windows ({n} full)',
    'bk.on_standby': 'On standby: if an earlier seat frees you are moved and told (can come from {time})',
    'bk.arrive_by': 'Reach the lot by {time}',
  },
};

function windowRow(slot, t, action) {
  const open = slot.status === 'open' && slot.free > 0 && slot.start_ms > Date.now();
  const label = slot.status !== 'open' ? t('bk.closed') : slot.free > 0 ? t('bk.free', { n: slot.free }) : t('bk.full');
  return h('li', { class: 'row slot', dataset: { slot: slot.id } },
    h('strong', {}, `${clock(slot.start_ms)}–${clock(slot.end_ms)}`), h('span', { class: 'tag' }, label),
    slot.arrives_early ? h('span', { class: 'muted' }, t('bk.early')) : null,
    open ? h('button', { type: 'button', class: 'primary', onclick: () => action(slot) }, action.label) : null);
}

export function render(root, ctx) {
  const { api, t } = ctx;
  ctx.addMessages(MESSAGES);
  let alive = true;
  const body = h('div', { class: 'stack' });
  fill(root, h('section', { class: 'screen booking' }, h('h1', {}, t('bk.windows')), body));

  async function windowsFor(mineId, date) {
    return (await api.get(`/api/appointments/mines/${mineId}/slots?date=${date}`)).items;
  }

  async function suggestionsFor(waybill) {
    try {
      const fix = await ctx.geo.once({ timeout: 8000 });
      return await api.get(`/api/appointments/suggestions?waybill_id=${waybill.id}&lon=${fix.lon}&lat=${fix.lat}`);
    } catch { return null; }
  }

  async function act(method, path, payload, label, done) {
    try {
      const result = await ctx.write(method, path, payload, label);
      ctx.toast(result.queued ? t('queued') : done);
      load();
    } catch (e) { ctx.toast(e.message); load(); }
  }

  function bookAction(waybill) {
    const action = (slot) => act('POST', '/api/appointments/bookings', { waybill_id: waybill.id, slot_id: slot.id },
      t('bk.book'), t('bk.done'));
    action.label = t('bk.book');
    return action;
  }

  function localInput(ms) {
    const d = new Date(ms - new Date().getTimezoneOffset() * 60000);
    return d.toISOString().slice(0, 16);
  }

  // Window assignment near the driver's wish: the earliest window with room, standby for earlier full ones.
  function readyForm(waybill) {
    const ready = h('input', { type: 'datetime-local', name: 'ready_at', value: localInput(Date.now() + 36e5) });
    const result = h('div', { class: 'offer', 'aria-live': 'polite' });
    const show = async (query) => {
      try {
        const offer = await api.get(`/api/appointments/offer?waybill_id=${waybill.id}&${query}`);
        if (!offer.window) { fill(result, h('p', { class: 'empty' }, t('bk.none_free'))); return; }
        const standby = h('input', { type: 'checkbox', name: 'standby', checked: offer.standby.length > 0 });
        const book = () => act('POST', '/api/appointments/bookings', {
          waybill_id: waybill.id, slot_id: offer.window.id, standby_from_ms: standby.checked ? offer.ready_at_ms : null,
        }, t('bk.book'), t('bk.done'));
        fill(result, h('p', {}, h('strong', {}, t('bk.offered', { time: `${clock(offer.window.start_ms)}–${clock(offer.window.end_ms)}` }))),
          offer.standby.length ? h('label', { class: 'row' }, standby, t('bk.standby', { n: offer.standby.length })) : null,
          h('button', { type: 'button', class: 'primary', name: 'book-offer', onclick: book }, t('bk.book')));
      } catch (e) { fill(result, h('p', { class: 'form-error' }, e.message)); }
    };
    const byHand = h('button', { type: 'button', name: 'offer', onclick: () => show(`ready_at_ms=${new Date(ready.value).getTime()}`) }, t('bk.offer'));
    const byGps = h('button', { type: 'button', name: 'offer-gps', onclick: async () => {
      try {
        const fix = await ctx.geo.once({ timeout: 8000 });
        show(`lon=${fix.lon}&lat=${fix.lat}`);
      } catch (e) { ctx.toast(e.message); }
    } }, t('bk.ready_gps'));
    return h('div', { class: 'card stack ready' }, h('label', {}, t('bk.ready'), ready), h('div', { class: 'row' }, byHand, byGps), result);
  }

  function moveAction(booking) {
    const action = (slot) => act('POST', `/api/appointments/bookings/${booking.id}/move`, { slot_id: slot.id },
      t('bk.move'), t('bk.moved'));
    action.label = t('bk.move');
    return action;
  }

  async function card(waybill, booking) {
    const dateSelect = h('select', { name: 'date', 'aria-label': t('bk.date') },
      h('option', { value: shanghaiDate(Date.now()) }, t('bk.today')),
      h('option', { value: shanghaiDate(Date.now() + 864e5) }, t('bk.tomorrow')));
    const list = h('ul', { class: 'list slots', 'aria-label': t('bk.windows') });
    const action = booking ? moveAction(booking) : bookAction(waybill);
    const show = (slots) => fill(list, slots.map((s) => windowRow(s, t, action)));
    const refresh = async () => show(await windowsFor(waybill.mine_id, dateSelect.value));
    // Late at night today's windows are behind us: open on tomorrow's, so a night driver sees what can be booked.
    const firstLook = async () => {
      const today = await windowsFor(waybill.mine_id, dateSelect.value);
      if (today.some((s) => s.start_ms > Date.now())) { show(today); return; }
      dateSelect.selectedIndex = 1;
      await refresh();
    };
    dateSelect.addEventListener('change', refresh);
    // Names, never ids: the load by its mine and coal, the mine by the name on its gate.
    const names = await catalogueNames(api);
    const head = [h('h2', {}, t('bk.waybill', { load: names.load(waybill), tonnes: waybill.tonnage_kg / 1000 })),
      h('p', {}, `${t('bk.mine')}: ${names.mine(waybill.mine_id)}`)];
    if (booking) {
      head.push(h('p', { class: 'current-booking' }, t('bk.booked', { time: `${clock(booking.slot_start_ms)}–${clock(booking.slot_end_ms)}` })),
        h('button', { type: 'button', class: 'danger', onclick: () => act('POST', `/api/appointments/bookings/${booking.id}/cancel`, {}, t('bk.cancel'), t('bk.cancelled')) }, t('bk.cancel')));
      if (booking.arrive_by_ms) head.push(h('p', { class: 'arrive-by' }, t('bk.arrive_by', { time: clock(booking.arrive_by_ms) })));
      if (booking.standby_from_ms) head.push(h('p', { class: 'notice standby' }, t('bk.on_standby', { time: clock(booking.standby_from_ms) })));
    } else {
      head.push(readyForm(waybill));
    }
    const suggested = h('div', { class: 'suggested' });
    if (!booking) {
      suggestionsFor(waybill).then((s) => {
        if (!s || !alive) return;
        fill(suggested, h('h3', {}, t('bk.suggested')), h('p', {}, t('bk.eta', { time: clock(s.eta_ms) })),
          h('ul', { class: 'list' }, s.items.map((slot) => windowRow(slot, t, action))));
      });
    }
    await firstLook();
    return h('article', { class: 'card', dataset: { waybill: waybill.id } }, head, suggested,
      h('label', {}, t('bk.date'), dateSelect), list);
  }

  async function load() {
    try {
      const [assigned, booked, mine] = await Promise.all([api.get('/api/waybills?state=assigned'),
        api.get('/api/waybills?state=booked'), api.get('/api/appointments/bookings/mine')]);
      const byWaybill = Object.fromEntries(mine.items.map((b) => [b.waybill_id, b]));
      const cards = await Promise.all([...assigned.items.map((w) => card(w, null)),
        ...booked.items.map((w) => card(w, byWaybill[w.id]))]);
      if (alive) fill(body, cards.length ? cards : h('p', { class: 'empty' }, t('bk.none')));
    } catch (e) { if (alive) fill(body, h('p', { class: 'form-error' }, t('load_failed', { message: e.message }))); }
  }

  load();
  return () => { alive = false; };
}
