// Was my queue fair? For each of my bookings: my own events in the mine's hash-chained queue log, every truck
// called ahead of me with its recorded reason, whether the day's chain is intact, and the published head hash.
import { clock } from '../../lib/format.js';
import { reasonWords } from '../../lib/waybill-words.js';
import { fill, h } from '../../ui/dom.js';

const MESSAGES = {
  zh: {
    'fair.title': '排队公示', 'fair.none': '没有预约', 'fair.intact': '✓ 当日排队记录完整，未被改动',
    'fair.broken': '✗ 当日排队记录校验失败（{n} 处）', 'fair.head': '当日记录指纹 #{seq} ',
    'fair.mine': '我的记录', 'fair.ahead': '排在我前面被叫的车', 'fair.ahead_none': '没有车插到我前面',
    'fair.unexplained': '{n} 次没有记录理由', 'fair.all_explained': '每次都有记录理由', 'fair.no_reason': '（无理由）',
    'fair.action.book': '预约', 'fair.action.move': '改约', 'fair.action.cancel': '取消', 'fair.action.check_in': '签到',
    'fair.action.check_out': '离开', 'fair.action.call': '叫号', 'fair.action.skip': '越号叫号', 'fair.action.admit': '进场',
    'fair.action.override': '特殊放行', 'fair.action.no_show': '爽约', 'fair.action.requeue': '重新排队',
    'fair.action.standby_promotion': '候补转正', 'fair.action.manual_request': '申请人工签到', 'fair.action.release': '时段关闭',
    'fair.action.seat_offered': '空位让出',
  },
  en: {
    'fair.title': 'Queue record', 'fair.none': 'No bookings', 'fair.intact': '✓ The day\'s queue record is intact',
    'fair.broken': '✗ The day\'s queue record fails its check ({n} problems)', 'fair.head': 'Day fingerprint #{seq} ',
    'fair.mine': 'My events', 'fair.ahead': 'Trucks called ahead of me', 'fair.ahead_none': 'Nobody was placed ahead of me',
    'fair.unexplained': '{n} without a recorded reason', 'fair.all_explained': 'Each one has a recorded reason',
    'fair.no_reason': '(no reason)',
    'fair.action.book': 'Booked', 'fair.action.move': 'Moved', 'fair.action.cancel': 'Cancelled',
    'fair.action.check_in': 'Checked in', 'fair.action.check_out': 'Left', 'fair.action.call': 'Called',
    'fair.action.skip': 'Called out of turn', 'fair.action.admit': 'Entered', 'fair.action.override': 'Let in by override',
    'fair.action.no_show': 'No-show', 'fair.action.requeue': 'Back in line', 'fair.action.standby_promotion': 'Standby promoted',
    'fair.action.manual_request': 'Asked for manual check-in', 'fair.action.release': 'Window closed',
    'fair.action.seat_offered': 'Seat offered',
  },
};

export function render(root, ctx) {
  const { api, t } = ctx;
  ctx.addMessages(MESSAGES);
  let alive = true;
  const body = h('div', { class: 'stack' });
  fill(root, h('section', { class: 'screen fairness' }, h('h1', {}, t('fair.title')), body));

  const word = (action) => t(`fair.action.${action}`);
  const entry = (e) => h('li', { class: 'row', dataset: { seq: e.seq } }, h('span', {}, clock(e.at)), h('strong', {}, word(e.action)),
    e.reason ? h('span', {}, reasonWords(e.reason)) : null);

  function card(booking, audit) {
    const ahead = audit.placed_ahead;
    return h('article', { class: 'card', dataset: { booking: booking.id } },
      h('h2', {}, `${clock(booking.slot_start_ms)}–${clock(booking.slot_end_ms)}`),
      h('p', { class: audit.intact ? 'ok chain-state' : 'form-error chain-state' },
        audit.intact ? t('fair.intact') : t('fair.broken', { n: audit.problems.length })),
      // The fingerprint to compare with the gate's board: a machine string, so it stays in <code>.
      h('p', { class: 'muted' }, t('fair.head', { seq: audit.head_seq }), h('code', { class: 'mono' }, audit.head_hash.slice(0, 16))),
      h('h3', {}, t('fair.mine')), h('ol', { class: 'list' }, audit.mine.map(entry)),
      h('h3', {}, t('fair.ahead')),
      ahead.length
        ? [h('p', { class: audit.unexplained ? 'form-error' : 'ok' },
          audit.unexplained ? t('fair.unexplained', { n: audit.unexplained }) : t('fair.all_explained')),
        h('ol', { class: 'list ahead' }, ahead.map((e) => h('li', { class: 'row' }, h('span', {}, clock(e.at)),
          h('strong', {}, word(e.action)), h('span', {}, reasonWords(e.reason) || t('fair.no_reason')))))]
        : h('p', { class: 'empty' }, t('fair.ahead_none')));
  }

  async function load() {
    try {
      const mine = await api.get('/api/appointments/bookings/mine');
      const bookings = [...mine.items, ...mine.notices];
      const cards = await Promise.all(bookings.map(async (b) => card(b, await api.get(`/api/appointments/bookings/${b.id}/audit`))));
      if (alive) fill(body, cards.length ? cards : h('p', { class: 'empty' }, t('fair.none')));
    } catch (e) { if (alive) fill(body, h('p', { class: 'form-error' }, t('load_failed', { message: e.message }))); }
  }

  load();
  return () => { alive = false; };
}
