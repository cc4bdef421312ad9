// Sign in with mobile number and password; the API's error is shown in the user's words. Links open the
// register (buyers, drivers, carriers' staff) and password-reset forms (roles/common/account.js) in the same place.
import { addMessages } from '../../lib/i18n.js';
import { h } from '../../ui/dom.js';
import { field } from '../../ui/field.js';

addMessages({
  zh: { 'login.register': '注册新账号（买煤客户、司机、承运商员工）', 'login.forgot': '忘记密码？' },
  en: { 'login.register': 'Create an account (buyers, drivers, carrier staff)', 'login.forgot': 'Forgot password?' },
});

export function render(root, { api, t, onSignedIn }) {
  const phone = field({ name: 'phone', label: t('phone'),
    attrs: { type: 'tel', inputmode: 'numeric', autocomplete: 'username', required: true, maxlength: 20 } });
  const password = field({ name: 'password', label: t('password'),
    attrs: { type: 'password', autocomplete: 'current-password', required: true } });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary block' }, t('sign_in'));
  let cleanupOther = null;
  const other = (purpose) => h('button', { type: 'button', class: 'link', onclick: async () => {
    const account = await import('./account.js');
    cleanupOther = account.render(root, { api, t, purpose, onSignedIn, onBack: () => {
      cleanupOther?.(); cleanupOther = null; root.replaceChildren(form); phone.input.focus();
    } });
  } }, t(purpose === 'register' ? 'login.register' : 'login.forgot'));
  // A carrier's invite link (#/login?invite=...) opens the sign-up form straight away.
  if (new URLSearchParams(location.hash.split('?')[1] || '').get('invite')) queueMicrotask(() => registerLink.click());
  const registerLink = other('register');
  const form = h('form', { class: 'card login', novalidate: true },
    h('h1', {}, t('app_name')), phone.el, password.el, error, submit, h('p', { class: 'hint' }, t('demo_hint')),
    h('p', { class: 'account-links' }, registerLink, other('reset')));

  async function onSubmit(event) {
    event.preventDefault();
    error.hidden = true;
    phone.setError(null);
    password.setError(null);
    submit.disabled = true;
    submit.textContent = t('signing_in');
    try {
      const user = await api.login(phone.input.value.trim(), password.input.value);
      onSignedIn(user);
    } catch (e) {
      const fields = e.fieldErrors || {};
      phone.setError(fields.phone);
      password.setError(fields.password);
      error.textContent = e.message;
      error.hidden = false;
      submit.disabled = false;
      submit.textContent = t('sign_in');
    }
  }
  form.addEventListener('submit', onSubmit);
  root.replaceChildren(form);
  phone.input.focus();
  return () => { cleanupOther?.(); form.removeEventListener('submit', onSubmit); };
}
