// Company names for the ids loads carry (shipper, carrier): people read "榆林市能源煤炭运销有限公司", not "org_shp_yl".
// One GET /api/orders/companies per 50 unknown ids; names are kept for the page's life.
const known = new Map();

/** Resolves to name(id): the company's name, '' while unknown (never the id). */
export async function companyNames(api, ids) {
  const wanted = [...new Set(ids.filter((id) => id && !known.has(id)))];
  for (let i = 0; i < wanted.length; i += 50) {
    const chunk = wanted.slice(i, i + 50);
    const reply = await api.get(`/api/orders/companies?ids=${chunk.map(encodeURIComponent).join(',')}`).catch(() => ({ items: [] }));
    for (const c of reply.items || []) known.set(c.id, c.name);
  }
  return (id) => known.get(id) || '';
}
