// The mine manager's site view (本矿看板): the mine's own capacity and in-transit themes from the KPI aggregates,
// today's coal out by hour; the server answers only for the signed-in gate's mine.
import { catalogueNames } from '../../lib/catalogue.js';
import { shanghaiDate } from '../../lib/format.js';
import { h, fill } from '../../ui/dom.js';
import { board, dashboardPath, MESSAGES as KPI, reportList } from '../../ui/kpi-board.js';

const MESSAGES = {
  zh: { 'siteview.title': '本矿看板', 'siteview.days': '最近 7 天', 'siteview.failed': '数据加载失败：{message}' },
  en: { 'siteview.title': 'My mine at a glance', 'siteview.days': 'Last 7 days', 'siteview.failed': 'Could not load: {message}' },
};
const SHOWN = ['capacity', 'in_transit'];

export function render(root, ctx) {
  const { api, t, addMessages, user } = ctx;
  addMessages(KPI);
  addMessages(MESSAGES);
  const filter = { from: shanghaiDate(Date.now() - 6 * 864e5), to: shanghaiDate(Date.now()), mine_id: user.mine_id };
  const body = h('div', { class: 'site-view' });
  root.append(h('h2', {}, t('siteview.title')), h('p', { class: 'hint' }, t('siteview.days')), body);
  let alive = true;
  Promise.all([catalogueNames(api), ...SHOWN.map((theme) => api.get(dashboardPath(theme, filter)))])
    .then(([names, ...pages]) => {
      if (!alive) return;
      fill(body, pages.map((data, i) => h('section', { class: 'card' }, h('h3', {}, t(`kpi.theme.${SHOWN[i]}`)),
        board(data, SHOWN[i], { t, names }))), reportList(api, { t, names, toast: ctx.toast }));
    })
    .catch((e) => { if (alive) fill(body, h('p', { class: 'form-error', role: 'alert' }, t('siteview.failed', { message: e.message }))); });
  return () => { alive = false; };
}
