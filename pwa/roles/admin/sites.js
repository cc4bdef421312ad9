// Admin: the sites (mines, plants, rail yards) with their lanes and products; onboard a new one or edit one.
import { fill, h } from '../../ui/dom.js';
import { siteForm } from '../../ui/site-form.js';

const MESSAGES = {
  zh: { 'asites.title': '站点管理', 'asites.new': '新建站点', 'asites.edit': '编辑', 'asites.back': '返回列表',
    'asites.summary': '{lanes} 条车道 · {products} 个煤种', 'asites.empty': '还没有站点',
    'asites.kind.mine': '煤矿', 'asites.kind.plant': '电厂/收货点', 'asites.kind.rail_yard': '铁路货场' },
  en: { 'asites.title': 'Sites', 'asites.new': 'New site', 'asites.edit': 'Edit', 'asites.back': 'Back to the list',
    'asites.summary': '{lanes} lanes · {products} products', 'asites.empty': 'No sites yet',
    'asites.kind.mine': 'Mine', 'asites.kind.plant': 'Plant / destination', 'asites.kind.rail_yard': 'Rail yard' },
};

export function render(root, ctx) {
  const { t } = ctx;
  ctx.addMessages(MESSAGES);
  let cleanup = () => {};
  const body = h('div', {});
  fill(root, h('section', { class: 'screen admin-sites' }, h('h1', {}, t('asites.title')), body));

  function open(site) {
    cleanup();
    const holder = h('div', {});
    fill(body, h('button', { type: 'button', onclick: list }, t('asites.back')), holder);
    cleanup = siteForm(holder, ctx, { site, onSaved: list });
  }

  function row(site) {
    const english = document.documentElement.lang === 'en';
    return h('li', { class: 'row site', dataset: { id: site.id } },
      h('strong', {}, english ? site.name_en : site.name), h('span', { class: 'muted' }, ` ${t(`asites.kind.${site.kind || 'mine'}`)}`),
      h('span', {}, t('asites.summary', { lanes: (site.lanes || []).length, products: (site.products || []).length })),
      h('button', { type: 'button', onclick: () => open(site) }, t('asites.edit')));
  }

  async function list() {
    cleanup(); cleanup = () => {};
    const items = h('ul', { class: 'list' });
    fill(body, h('button', { type: 'button', class: 'primary', onclick: () => open(null) }, t('asites.new')), items);
    try {
      const data = await ctx.api.get('/api/sites');
      fill(items, data.items.length ? data.items.map(row) : h('li', {}, t('asites.empty')));
    } catch (e) { fill(items, h('li', { class: 'form-error' }, e.message)); }
  }

  list();
  return () => cleanup();
}
