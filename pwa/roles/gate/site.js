// Gate staff: their own site's lanes, products, slot template and fences (the same form admins use).
import { fill, h } from '../../ui/dom.js';
import { siteForm } from '../../ui/site-form.js';

const MESSAGES = {
  zh: { 'gsite.title': '本矿站点设置', 'gsite.none': '账号未绑定站点' },
  en: { 'gsite.title': 'My site', 'gsite.none': 'This account has no site' },
};

export function render(root, ctx) {
  const { t } = ctx;
  ctx.addMessages(MESSAGES);
  let cleanup = () => {};
  const holder = h('div', {});
  fill(root, h('section', { class: 'screen gate-site' }, h('h1', {}, t('gsite.title')), holder));
  async function load() {
    if (!ctx.user.mine_id) { fill(holder, h('p', {}, t('gsite.none'))); return; }
    try {
      const site = await ctx.api.get(`/api/sites/${ctx.user.mine_id}`);
      cleanup();
      cleanup = siteForm(holder, ctx, { site, onSaved: load });
    } catch (e) { fill(holder, h('p', { class: 'form-error' }, e.message)); }
  }
  load();
  return () => cleanup();
}
