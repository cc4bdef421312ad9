// Manual check-in requests (drivers without GPS) for gate staff to confirm.
import { fill, h } from '../../ui/dom.js';

const MESSAGES = {
  zh: { 'gc.title': '人工签到', 'gc.none': '没有待确认的申请', 'gc.confirm': '确认签到', 'gc.done': '已签到 {plate}', 'gc.reason': '原因' },
  en: { 'gc.title': 'Manual check-ins', 'gc.none': 'No requests waiting', 'gc.confirm': 'Confirm', 'gc.done': 'Checked in {plate}', 'gc.reason': 'Reason' },
};

export function render(root, ctx) {
  const { t } = ctx;
  ctx.addMessages(MESSAGES);
  const list = h('ul', { class: 'list', 'aria-label': t('gc.title') });
  fill(root, h('section', { class: 'screen gate-checkins' }, h('h1', {}, t('gc.title')), list));
  let alive = true;

  async function confirm(b) {
    try {
      await ctx.write('POST', `/api/appointments/bookings/${b.id}/confirm-checkin`, {}, t('gc.confirm'));
      ctx.toast(t('gc.done', { plate: b.plate || '' }));
    } catch (e) { ctx.toast(e.message); }
    load();
  }

  async function load() {
    try {
      const data = await ctx.api.get(`/api/appointments/mines/${ctx.user.mine_id}/checkins`);
      if (!alive) return;
      fill(list, data.items.length ? data.items.map((b) => h('li', { class: 'row', dataset: { booking: b.id } },
        h('strong', { class: 'plate' }, b.plate || '–'), h('span', {}, `${t('gc.reason')}: ${b.manual_reason}`),
        h('button', { type: 'button', class: 'primary', onclick: () => confirm(b) }, t('gc.confirm'))))
        : h('li', { class: 'empty' }, t('gc.none')));
    } catch (e) { if (alive) fill(list, h('li', { class: 'form-error' }, e.message)); }
  }

  load();
  const timer = setInterval(load, 10000);
  return () => { alive = false; clearInterval(timer); };
}
