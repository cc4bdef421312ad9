// Mine and coal names for the ids waybills carry (users know "红柳林煤矿 · 原煤", not "mine_hll · raw").
import { lang } from './i18n.js';

let mines = null;

/** Resolves to {mine(id), product(id), load(w), mines}; one catalogue fetch per page, ids shown if it cannot load. */
export function catalogueNames(api) {
  if (!mines) {
    mines = api.get('/api/catalogue/mines').then((reply) => reply.items || [])
      .catch(() => { mines = null; return []; });
  }
  return mines.then(namer);
}

function namer(items) {
  const english = lang() === 'en';
  const mineNames = new Map();
  const productNames = new Map();
  for (const m of items) {
    mineNames.set(m.id, (english && m.name_en) || m.name);
    for (const p of m.products || []) productNames.set(p.id, (english && p.name_en) || p.name);
  }
  const mine = (id) => mineNames.get(id) || id || '';
  const product = (id) => productNames.get(id) || id || '';
  return { mine, product, load: (w) => `${mine(w.mine_id)} · ${product(w.product_id)}`, mines: items };
}
