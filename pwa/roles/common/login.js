// Sign in with mobile number and password; the API's error.message is shown as it comes. Links open the
// register and password-reset forms (roles/common/account.js) in the same place.
import { addMessages } from '../../lib/i18n.js';
import { h } from '../../ui/dom.js';
import { field } from '../../ui/field.js';

addMessages({
  zh: { 'login.register': '注册（终端客户）', 'login.forgot': '忘记密码？' },
  en: { 'login.register': 'Create an account (buyers)', 'login.forgot': 'Forgot password?' },
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
  const form = h('form', { class: 'card login', novalidate: true },
    h('h1', {}, t('app_name')), phone.el, password.el, error, submit, h('p', { class: 'hint' }, t('demo_hint')),
    h('p', { class: 'account-links' }, other('register'), other('reset')));

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
