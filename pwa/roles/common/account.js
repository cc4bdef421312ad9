// Register and reset a password, each with the code texted to the phone: a "send code" button that counts down
// before it may send again. Reached from the login screen, rendered into its root. Sign-up is for buyers,
// owner-drivers, drivers joining a carrier and carriers' staff (those two with the carrier's invite code: they wait
// for its approval and are told so).
import { addMessages } from '../../lib/i18n.js';
import { h } from '../../ui/dom.js';
import { field } from '../../ui/field.js';

addMessages({
  zh: {
    'account.register': '注册新账号', 'account.reset': '忘记密码', 'account.back': '返回登录',
    'account.name': '姓名或单位', 'account.code': '短信验证码', 'account.send_code': '获取验证码',
    'account.resend_in': '{s} 秒后重发', 'account.code_sent': '验证码已发送（5 分钟内有效）',
    'account.new_password': '新密码（至少 8 位，不要用常见密码）', 'account.create': '注册并登录',
    'account.set_password': '重设密码并登录', 'account.busy': '请稍候…',
    'account.who': '我是', 'account.who.buyer': '买煤客户（终端用户）', 'account.who.driver': '司机（个体车主或加入车队）',
    'account.who.carrier': '承运商员工（调度、车队管理）', 'account.invite': '承运商邀请码', 'account.invite_driver': '承运商邀请码（加入车队时填写，个体车主不填）',
    'account.pending_title': '已提交，等待审核', 'account.pending': '{name}，您的加入申请已提交。承运商在“车队”里审核通过后，您就可以用这个手机号和密码登录。',
  },
  en: {
    'account.register': 'Create an account', 'account.reset': 'Forgot password', 'account.back': 'Back to sign in',
    'account.name': 'Name or company', 'account.code': 'SMS code', 'account.send_code': 'Send code',
    'account.resend_in': 'Resend in {s} s', 'account.code_sent': 'Code sent (valid for 5 minutes)',
    'account.new_password': 'New password (8+ characters, not a common one)', 'account.create': 'Create and sign in',
    'account.set_password': 'Set password and sign in', 'account.busy': 'Please wait…',
    'account.who': 'I am', 'account.who.buyer': 'A coal buyer (end customer)', 'account.who.driver': 'A driver (owner-driver or joining a fleet)',
    'account.who.carrier': "A carrier's staff (dispatch, fleet)", 'account.invite': "Carrier's invite code",
    'account.invite_driver': "Carrier's invite code (when joining a fleet; owner-drivers leave it empty)",
    'account.pending_title': 'Sent: waiting for approval',
    'account.pending': '{name}, your request to join was sent. Once the carrier approves it under Fleet, sign in with this number and password.',
  },
});

const RESEND_S = 60;

/** The form for `purpose` ('register' | 'reset'); `onSignedIn(user)` once done, `onBack()` to the login form. */
export function render(root, { api, t, purpose, onSignedIn, onBack }) {
  const phone = field({ name: 'phone', label: t('phone'),
    attrs: { type: 'tel', inputmode: 'numeric', autocomplete: 'tel', required: true, maxlength: 20 } });
  const name = purpose === 'register'
    ? field({ name: 'name', label: t('account.name'), attrs: { autocomplete: 'name', required: true, maxlength: 64 } })
    : null;
  const who = purpose === 'register'
    ? field({ name: 'role', label: t('account.who'), options: ['buyer', 'driver', 'carrier'].map((r) => [r, t(`account.who.${r}`)]) })
    : null;
  const invite = purpose === 'register'
    ? field({ name: 'invite_code', label: t('account.invite'), attrs: { autocomplete: 'off', maxlength: 160, autocapitalize: 'characters' } })
    : null;
  // A shared link (#/login?invite=<code>) fills the code in and picks "driver".
  const shared = new URLSearchParams(location.hash.split('?')[1] || '').get('invite');
  function whoChanged() {
    if (!who) return;
    const role = who.input.value;
    invite.el.hidden = role === 'buyer';
    invite.el.querySelector('label').textContent = t(role === 'driver' ? 'account.invite_driver' : 'account.invite');
    invite.input.required = role === 'carrier';
  }
  if (who) {
    if (shared) { who.input.value = 'driver'; invite.input.value = shared; }
    who.input.addEventListener('change', whoChanged);
    whoChanged();
  }
  const code = field({ name: 'otp', label: t('account.code'),
    attrs: { inputmode: 'numeric', autocomplete: 'one-time-code', required: true, maxlength: 6 } });
  const password = field({ name: 'password', label: t('account.new_password'),
    attrs: { type: 'password', autocomplete: 'new-password', required: true, minlength: 8 } });
  const sendButton = h('button', { type: 'button', class: 'send-code' }, t('account.send_code'));
  const note = h('p', { class: 'hint', 'aria-live': 'polite' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary block' },
    t(purpose === 'register' ? 'account.create' : 'account.set_password'));
  const back = h('button', { type: 'button', class: 'link', onclick: onBack }, t('account.back'));
  const form = h('form', { class: 'card login', novalidate: true, dataset: { purpose } },
    h('h1', {}, t(purpose === 'register' ? 'account.register' : 'account.reset')),
    who?.el, phone.el, name?.el, invite?.el, h('div', { class: 'code-row' }, code.el, sendButton), note, password.el, error, submit, back);
  let timer = null;

  function countdown(seconds) {
    clearInterval(timer);
    let left = seconds;
    sendButton.disabled = true;
    const tick = () => {
      sendButton.textContent = t('account.resend_in', { s: left });
      if (left-- <= 0) { clearInterval(timer); sendButton.disabled = false; sendButton.textContent = t('account.send_code'); }
    };
    tick();
    timer = setInterval(tick, 1000);
  }

  function show(e) {
    const fields = e.fieldErrors || {};
    [phone, name, code, password, who, invite].forEach((f) => f?.setError(fields[f.input.name]));
    error.textContent = e.message;
    error.hidden = false;
  }

  async function sendCode() {
    error.hidden = true;
    phone.setError(null);
    try {
      await api.requestCode(purpose, phone.input.value.trim());
      note.textContent = t('account.code_sent');
      countdown(RESEND_S);
      code.input.focus();
    } catch (e) {
      show(e);
      if (e.status === 429) countdown(RESEND_S);
    }
  }

  async function onSubmit(event) {
    event.preventDefault();
    error.hidden = true;
    submit.disabled = true;
    const label = submit.textContent;
    submit.textContent = t('account.busy');
    const values = { phone: phone.input.value.trim(), otp: code.input.value.trim(), password: password.input.value };
    try {
      const user = purpose === 'register'
        ? await api.register({ ...values, name: name.input.value.trim(), role: who.input.value,
          invite_code: who.input.value === 'buyer' ? null : invite.input.value.trim() || null })
        : await api.resetPassword(values);
      if (user && user.pending) { showPending(user.pending); return; }
      onSignedIn(user);
    } catch (e) {
      show(e);
      submit.disabled = false;
      submit.textContent = label;
    }
  }

  // Joined a carrier: nothing to sign in to yet; say who decides and what to do then.
  function showPending(user) {
    clearInterval(timer);
    root.replaceChildren(h('section', { class: 'card login pending', role: 'status' },
      h('h1', {}, t('account.pending_title')), h('p', {}, t('account.pending', { name: user.name })), back));
  }

  sendButton.addEventListener('click', sendCode);
  form.addEventListener('submit', onSubmit);
  root.replaceChildren(form);
  phone.input.focus();
  return () => { clearInterval(timer); form.removeEventListener('submit', onSubmit); };
}
