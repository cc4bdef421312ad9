// Admin: companies, the accounts in each, and gate devices. Writes go straight to the API (api.send, with an
// Idempotency-Key) rather than the outbox: an account's password must never wait in the phone's storage.
import { fill, h } from '../../ui/dom.js';
import { field } from '../../ui/field.js';
import { dateTime } from '../../lib/format.js';
import { pick } from '../../lib/i18n.js';
import { confirmAction } from '../../ui/confirm.js';

const MESSAGES = {
  zh: {
    'people.title': '单位与人员', 'people.orgs': '单位', 'people.devices': '设备', 'people.new_org': '新建单位',
    'people.kind': '类型', 'people.kind.carrier': '承运商', 'people.kind.shipper': '货主/贸易商',
    'people.name': '名称', 'people.credit_code': '统一社会信用代码（选填）',
    'people.create': '创建', 'people.created': '已创建：{name}', 'people.users_of': '{name} 的人员',
    'people.no_users': '还没有人员', 'people.no_orgs': '还没有单位', 'people.new_user': '新建账号',
    'people.phone': '手机号', 'people.password': '初始密码', 'people.role': '角色',
    'people.disable': '停用', 'people.enable': '启用', 'people.disabled': '已停用',
    'people.confirm_disable': '停用 {name}？其所有登录会在几秒内失效。', 'people.back': '返回单位列表',
    'people.open': '人员', 'people.no_devices': '还没有设备', 'people.last_seen': '最近在线 {when}',
    'people.never_seen': '从未上线', 'people.register_device': '登记设备', 'people.device_kind': '设备类型',
    'people.device_kind.camera': '车牌识别摄像头', 'people.device_kind.qr_scanner': '扫码器',
    'people.device_kind.weighbridge': '地磅', 'people.device_kind.gps_gateway': '车载定位网关', 'people.device_name': '设备名称', 'people.mine': '矿点编号', 'people.site': '站点', 'people.lane_pick': '道口',
    'people.revoke': '注销设备', 'people.revoked': '已注销', 'people.revoke_q': '注销 {name}？它的密钥立即失效，需要时请重新登记。',
    'people.lane': '车道编号', 'people.key_once': '设备密钥（只显示这一次，请立即配置到设备上）：',
  },
  en: {
    'people.title': 'Companies & people', 'people.orgs': 'Companies', 'people.devices': 'Devices',
    'people.new_org': 'New company', 'people.kind': 'Type', 'people.kind.carrier': 'Carrier',
    'people.kind.shipper': 'Shipper / trader', 'people.name': 'Name',
    'people.credit_code': 'Unified social credit code (optional)', 'people.create': 'Create',
    'people.created': 'Created: {name}', 'people.users_of': 'People at {name}', 'people.no_users': 'No accounts yet',
    'people.no_orgs': 'No companies yet', 'people.new_user': 'New account', 'people.phone': 'Mobile number',
    'people.password': 'First password', 'people.role': 'Role', 'people.disable': 'Disable',
    'people.enable': 'Enable', 'people.disabled': 'Disabled',
    'people.confirm_disable': 'Disable {name}? Every session they hold ends within seconds.',
    'people.back': 'Back to companies', 'people.open': 'People', 'people.no_devices': 'No devices yet',
    'people.last_seen': 'Last seen {when}', 'people.never_seen': 'Never seen', 'people.register_device': 'Register a device',
    'people.device_kind': 'Device type', 'people.device_kind.camera': 'Plate camera',
    'people.device_kind.qr_scanner': 'QR scanner', 'people.device_kind.weighbridge': 'Weighbridge',
    'people.device_kind.gps_gateway': 'Vehicle terminal gateway', 'people.device_name': 'Device name', 'people.mine': 'Site id', 'people.lane': 'Lane id',
    'people.site': 'Site', 'people.lane_pick': 'Gate lane', 'people.revoke': 'Revoke device', 'people.revoked': 'Revoked',
    'people.revoke_q': 'Revoke {name}? Its key stops working at once; register it again if needed.',
    'people.key_once': 'Device key (shown this once: configure the device with it now):',
  },
};

const ORG_KINDS = ['carrier', 'shipper'];
const STAFF_ROLES = { carrier: ['carrier', 'driver'], shipper: ['shipper'] };
const DEVICE_KINDS = ['camera', 'qr_scanner', 'weighbridge', 'gps_gateway'];

function showErrors(fields, error, err) {
  Object.values(fields).forEach((f) => f.setError(null));
  for (const [name, text] of Object.entries(err.fieldErrors || {})) fields[name]?.setError(text);
  error.textContent = err.message;
  error.hidden = false;
}

/** A form of labelled fields that posts its values; onDone gets the reply. */
function form({ t, api, title, fields, path, method = 'POST', toBody, onDone }) {
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('people.create'));
  async function send(ev) {
    ev.preventDefault();
    error.hidden = true;
    submit.disabled = true;
    try {
      const values = Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.input.value.trim()]));
      onDone(await api.send(method, path, toBody(values)));
      el.reset();
      Object.values(fields).forEach((f) => f.setError(null));
    } catch (err) {
      showErrors(fields, error, err);
    } finally {
      submit.disabled = false;
    }
  }
  const el = h('form', { class: 'card', novalidate: true, onsubmit: send },
    h('h2', {}, title), ...Object.values(fields).map((f) => f.el), error, submit);
  return el;
}

function orgsTab(body, ctx) {
  const { t, api, toast } = ctx;
  const list = h('ul', { class: 'list orgs' });
  const fields = {
    kind: field({ name: 'kind', label: t('people.kind'), options: ORG_KINDS.map((k) => [k, t(`people.kind.${k}`)]) }),
    name: field({ name: 'name', label: t('people.name'), attrs: { required: true, maxlength: 64 } }),
    credit_code: field({ name: 'credit_code', label: t('people.credit_code'), attrs: { maxlength: 18 } }),
  };
  const create = form({ t, api, title: t('people.new_org'), fields, path: '/api/admin/orgs',
    toBody: (v) => ({ kind: v.kind, name: v.name, credit_code: v.credit_code || null }),
    onDone: (org) => { toast(t('people.created', { name: org.name })); load(); } });

  async function load() {
    try {
      const { items } = await api.get('/api/admin/orgs');
      fill(list, items.length ? items.map((org) => h('li', { class: 'row org', dataset: { id: org.id } },
        h('strong', {}, org.name), h('span', { class: 'muted' }, ` ${t(`people.kind.${org.kind}`)}`),
        h('button', { type: 'button', onclick: () => usersOf(body, ctx, org, () => orgsTab(body, ctx)) },
          t('people.open')))) : h('li', {}, t('people.no_orgs')));
    } catch (e) { fill(list, h('li', { class: 'form-error' }, e.message)); }
  }
  fill(body, list, create);
  load();
}

function usersOf(body, ctx, org, back) {
  const { t, api, toast } = ctx;
  const list = h('ul', { class: 'list users' });
  const roles = STAFF_ROLES[org.kind] || ['shipper'];
  const fields = {
    name: field({ name: 'name', label: t('people.name'), attrs: { required: true, maxlength: 64 } }),
    phone: field({ name: 'phone', label: t('people.phone'), attrs: { type: 'tel', inputmode: 'numeric', required: true } }),
    role: field({ name: 'role', label: t('people.role'), options: roles.map((r) => [r, t(`role.${r}`)]) }),
    password: field({ name: 'password', label: t('people.password'),
      attrs: { type: 'password', autocomplete: 'new-password', required: true } }),
  };
  const create = form({ t, api, title: t('people.new_user'), fields, path: '/api/admin/users',
    toBody: (v) => ({ ...v, org_id: org.id }),
    onDone: (user) => { toast(t('people.created', { name: user.name })); load(); } });

  async function setStatus(user, status) {
    if (status === 'disabled' && !(await confirmAction(t('people.confirm_disable', { name: user.name }), { yes: t('people.disable') }))) return;
    try {
      await api.send('PATCH', `/api/admin/users/${encodeURIComponent(user.id)}`, { status });
      load();
    } catch (e) { toast(e.message); }
  }

  function row(user) {
    const active = user.status !== 'disabled';
    return h('li', { class: 'row user', dataset: { id: user.id, status: user.status } },
      h('strong', {}, user.name), h('span', {}, ` ${t(`role.${user.role}`)} · ${user.phone}`),
      active ? null : h('span', { class: 'badge warn' }, t('people.disabled')),
      h('button', { type: 'button', class: active ? 'danger' : '', onclick: () => setStatus(user, active ? 'disabled' : 'active') },
        t(active ? 'people.disable' : 'people.enable')));
  }

  async function load() {
    try {
      const { items } = await api.get(`/api/admin/orgs/${encodeURIComponent(org.id)}/users?limit=100`);
      fill(list, items.length ? items.map(row) : h('li', {}, t('people.no_users')));
    } catch (e) { fill(list, h('li', { class: 'form-error' }, e.message)); }
  }
  fill(body, h('button', { type: 'button', onclick: back }, t('people.back')),
    h('h2', {}, t('people.users_of', { name: org.name })), list, create);
  load();
}

function devicesTab(body, ctx) {
  const { t, api } = ctx;
  const list = h('ul', { class: 'list devices' });
  const shown = h('div', { class: 'device-key', 'aria-live': 'polite' });
  let sites = [];
  const siteName = (id) => { const s = sites.find((x) => x.id === id); return s ? pick({ zh: s.name, en: s.name_en }) : ''; };
  const laneName = (siteId, laneId) => {
    const lane = ((sites.find((x) => x.id === siteId) || {}).lanes || []).find((l) => l.id === laneId);
    return lane ? pick({ zh: lane.name, en: lane.name_en || lane.name }) : laneId;
  };
  const fields = {
    kind: field({ name: 'kind', label: t('people.device_kind'),
      options: DEVICE_KINDS.map((k) => [k, t(`people.device_kind.${k}`)]) }),
    name: field({ name: 'name', label: t('people.device_name'), attrs: { required: true, maxlength: 64 } }),
    // Sites and lanes by name (GET /api/sites): nobody types "mine_hll" or a lane id.
    mine_id: field({ name: 'mine_id', label: t('people.site'), options: [] }),
    lane_id: field({ name: 'lane_id', label: t('people.lane_pick'), options: [] }),
  };
  function fillLanes() {
    const site = sites.find((x) => x.id === fields.mine_id.input.value);
    fields.lane_id.input.replaceChildren(...((site && site.lanes) || []).map((l) =>
      h('option', { value: l.id }, pick({ zh: l.name, en: l.name_en || l.name }))));
  }
  fields.mine_id.input.addEventListener('change', fillLanes);
  const create = form({ t, api, title: t('people.register_device'), fields, path: '/api/admin/devices',
    toBody: (v) => (v.kind === 'gps_gateway' ? { kind: v.kind, name: v.name }
      : { kind: v.kind, name: v.name, mine_id: v.mine_id, lane_id: v.lane_id || null }),
    onDone: (device) => {
      fill(shown, h('p', {}, t('people.key_once')), h('code', { class: 'secret' }, device.key));
      load();
    } });

  async function revoke(d) {
    if (!(await confirmAction(t('people.revoke_q', { name: d.name }), { yes: t('people.revoke') }))) return;
    try { await api.send('POST', `/api/admin/devices/${encodeURIComponent(d.id)}/revoke`, {}); ctx.toast(t('people.revoked')); } catch (e) { ctx.toast(e.message); }
    load();
  }

  async function load() {
    try {
      const { items } = await api.get('/api/admin/devices');
      fill(list, items.length ? items.map((d) => h('li', { class: 'row device', dataset: { id: d.id, status: d.status } },
        h('strong', {}, d.name), h('span', {}, ` ${t(`people.device_kind.${d.kind}`)}${d.mine_id ? ` · ${siteName(d.mine_id)}` : ''}${d.lane_id ? ` · ${laneName(d.mine_id, d.lane_id)}` : ''}`),
        d.status === 'revoked' ? h('span', { class: 'badge warn' }, t('people.revoked'))
          : h('span', { class: 'muted' }, d.last_seen_at ? t('people.last_seen', { when: dateTime(d.last_seen_at) }) : t('people.never_seen')),
        d.status === 'revoked' ? null : h('button', { type: 'button', class: 'danger', onclick: () => revoke(d) }, t('people.revoke'))))
        : h('li', {}, t('people.no_devices')));
    } catch (e) { fill(list, h('li', { class: 'form-error' }, e.message)); }
  }
  fill(body, list, shown, create);
  api.get('/api/sites').then((reply) => {
    sites = reply.items || [];
    fields.mine_id.input.replaceChildren(...sites.map((x) => h('option', { value: x.id }, pick({ zh: x.name, en: x.name_en }))));
    fillLanes();
  }).catch(() => {}).then(load);
}

export function render(root, ctx) {
  const { t } = ctx;
  ctx.addMessages(MESSAGES);
  const body = h('div', {});
  const tabs = [['orgs', orgsTab], ['devices', devicesTab]];
  const buttons = tabs.map(([id, open]) => h('button', { type: 'button', role: 'tab', dataset: { tab: id },
    onclick: () => { buttons.forEach((b) => b.setAttribute('aria-selected', String(b.dataset.tab === id))); open(body, ctx); } },
  t(`people.${id}`)));
  fill(root, h('section', { class: 'screen admin-people' }, h('h1', {}, t('people.title')),
    h('div', { class: 'tabs', role: 'tablist' }, buttons), body));
  buttons[0].click();
  return () => {};
}
