// Who joins the carrier: its invite code (and a link to send by WeChat or SMS) for drivers and staff signing up,
// and the sign-ups waiting for approval — approve lets them sign in at once; refusing asks first.
import { confirmAction } from '../../ui/confirm.js';
import { fill, h } from '../../ui/dom.js';
import { list } from '../../ui/list.js';

export const MESSAGES = {
  zh: { 'join.title': '加入申请', 'join.code': '邀请码（司机、员工注册时填写）', 'join.link': '邀请链接', 'join.copy': '复制邀请链接',
    'join.copied': '已复制', 'join.none': '没有待审核的申请', 'join.approve': '同意加入', 'join.refuse': '拒绝',
    'join.approved': '{name} 已加入，可以登录了', 'join.refused': '已拒绝 {name}', 'join.refuse_q': '拒绝 {name}（{phone}）的加入申请？',
    'join.role.driver': '司机', 'join.role.carrier': '员工' },
  en: { 'join.title': 'Requests to join', 'join.code': 'Invite code (drivers and staff enter it when signing up)', 'join.link': 'Invite link',
    'join.copy': 'Copy the invite link', 'join.copied': 'Copied', 'join.none': 'No requests waiting', 'join.approve': 'Approve',
    'join.refuse': 'Refuse', 'join.approved': '{name} joined and may sign in', 'join.refused': '{name} refused',
    'join.refuse_q': 'Refuse the request of {name} ({phone}) to join?', 'join.role.driver': 'Driver', 'join.role.carrier': 'Staff' },
};

/** The section; `onChanged()` after an approval (the drivers list grows). Returns {el, refresh}. */
export function joinSection({ api, t, toast }, onChanged) {
  const el = h('section', { class: 'card join', 'aria-labelledby': 'join-h' }, h('h2', { id: 'join-h' }, t('join.title')));
  async function decide(user, decision) {
    if (decision === 'refuse' && !(await confirmAction(t('join.refuse_q', { name: user.name, phone: user.phone }), { yes: t('join.refuse') }))) return;
    try {
      await api.send('POST', `/api/auth/join-requests/${encodeURIComponent(user.id)}`, { decision });
      toast(t(decision === 'approve' ? 'join.approved' : 'join.refused', { name: user.name }));
      if (decision === 'approve') onChanged();
    } catch (e) { toast(e.message); }
    refresh();
  }
  async function refresh() {
    const [code, waiting] = await Promise.all([api.get('/api/auth/invite-code').catch(() => null),
      api.get('/api/auth/join-requests').catch(() => ({ items: [] }))]);
    const link = code ? `${location.origin}/#/login?invite=${encodeURIComponent(code.code)}` : '';
    fill(el, h('h2', { id: 'join-h' }, t('join.title')),
      code ? h('p', { class: 'invite' }, h('span', {}, t('join.code')), ' ', h('strong', { class: 'invite-code' }, code.code)) : null,
      code && navigator.clipboard ? h('button', { type: 'button', onclick: () => navigator.clipboard.writeText(link).then(() => toast(t('join.copied')), () => {}) }, t('join.copy')) : null,
      list(waiting.items, (u) => h('div', { class: 'row join-request', dataset: { id: u.id } },
        h('strong', {}, u.name), h('span', {}, `${t(`join.role.${u.role}`)} · ${u.phone}`),
        h('button', { type: 'button', class: 'primary', onclick: () => decide(u, 'approve') }, t('join.approve')),
        h('button', { type: 'button', class: 'danger', onclick: () => decide(u, 'refuse') }, t('join.refuse'))), { empty: t('join.none') }));
  }
  refresh();
  return { el, refresh };
}
