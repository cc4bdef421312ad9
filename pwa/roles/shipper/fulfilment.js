// The shipper's fulfilment view (履约): its own loads planned vs delivered, fulfilment and on-time rates by
// day, from the KPI aggregates; the server answers only for the signed-in shipper's company.
import { shanghaiDate } from '../../lib/format.js';
import { h, fill } from '../../ui/dom.js';
import { board, dashboardPath, MESSAGES as KPI, reportList } from '../../ui/kpi-board.js';

const MESSAGES = {
  zh: { 'fulfil.title': '履约情况', 'fulfil.days': '最近 30 天', 'fulfil.failed': '数据加载失败：{message}' },
  en: { 'fulfil.title': 'Fulfilment', 'fulfil.days': 'Last 30 days', 'fulfil.failed': 'Could not load: {message}' },
};

export function render(root, ctx) {
  const { api, t, addMessages } = ctx;
  addMessages(KPI);
  addMessages(MESSAGES);
  const filter = { from: shanghaiDate(Date.now() - 29 * 864e5), to: shanghaiDate(Date.now()) };
  const body = h('div', { class: 'fulfilment' });
  root.append(h('h2', {}, t('fulfil.title')), h('p', { class: 'hint' }, t('fulfil.days')), body);
  let alive = true;
  api.get(dashboardPath('customers', filter))
    .then((data) => {
      const names = { mine: (id) => id };
      if (alive) fill(body, board(data, 'customers', { t, names }), reportList(api, { t, names, toast: ctx.toast }));
    })
    .catch((e) => { if (alive) fill(body, h('p', { class: 'form-error', role: 'alert' }, t('fulfil.failed', { message: e.message }))); });
  return () => { alive = false; };
}
