// Boot: service worker, outbox replay, then the login screen or the signed-in shell.
import { api } from './lib/api.js';
import * as geo from './lib/geo.js';
import { addMessages, events as langEvents, lang, pick, setLang, t } from './lib/i18n.js';
import * as outbox from './lib/outbox.js';
import * as router from './lib/router.js';
import { findScreen, navFor, screensFor } from './lib/screens.js';
import * as session from './lib/session.js';
import { registerServiceWorker } from './lib/sw-client.js';
import { badge } from './ui/badge.js';
import { h } from './ui/dom.js';
import { icon } from './ui/icons.js';
import { connectionIndicator } from './ui/status-bar.js';
import { toast } from './ui/toast.js';

const appRoot = document.getElementById('app');
let teardownShell = () => {};

// Every screen writes through the one outbox; options carry attachments: {attachments, uploadPath}.
function write(method, path, body, label = '', options = {}) {
  return outbox.enqueue({ method, path, body, label, ...options });
}

function renderLogin() {
  teardownShell();
  document.body.dataset.view = 'login';
  const root = h('main', { class: 'login-page' });
  appRoot.replaceChildren(h('div', { class: 'login-top' }, languageButton()), root);
  const cleanup = (async () => (await import('./roles/common/login.js')).render(root, {
    api, t, onSignedIn: () => { history.replaceState(null, '', router.href('home')); renderShell(); outbox.flush(); },
  }))();
  teardownShell = () => cleanup.then((fn) => fn?.());
}

function languageButton() {
  return h('button', { type: 'button', class: 'lang', lang: lang() === 'zh' ? 'en' : 'zh-CN',
    onclick: () => setLang(lang() === 'zh' ? 'en' : 'zh') }, t('language'));
}

function header(user, pending, conn) {
  const logout = h('button', { type: 'button', class: 'link', onclick: () => api.logout() }, t('sign_out'));
  return h('header', { class: 'topbar' },
    h('span', { class: 'brand' }, t('app_name')), conn.el, pending.el,
    h('span', { class: 'spacer' }), languageButton(), logout);
}

function bottomNav(user) {
  const items = navFor(user.role);
  return h('nav', { class: 'bottomnav', 'aria-label': 'main' }, items.map((s) =>
    h('a', { href: router.href(s.id), dataset: { screen: s.id } },
      h('span', { class: 'icon', 'aria-hidden': 'true' }, icon(s.icon)), h('span', {}, pick(s.title)))));
}

function screenContext(user, route, main) {
  return {
    api, write, t, addMessages, user, geo, toast, params: route.params,
    navigate: router.navigate, onOutboxChange: outbox.onChange, pendingWrites: outbox.list,
    screens: screensFor(user.role),
  };
}

async function mountScreen(main, nav, user, route, state) {
  state.cleanup();
  state.cleanup = () => {};
  const token = (state.token = {});
  const entry = findScreen(route.id, user.role);
  nav.querySelectorAll('a').forEach((a) => a.toggleAttribute('aria-current', a.dataset.screen === route.id));
  if (!entry) {
    main.replaceChildren(h('p', { class: 'empty' }, t('not_found')));
    return;
  }
  document.title = `${pick(entry.title)} · ${t('app_name')}`;
  main.replaceChildren(h('p', { class: 'loading' }, t('loading')));
  try {
    const module = await entry.load();
    if (token !== state.token) return; // the user moved on while it loaded
    main.replaceChildren();
    main.dataset.screen = entry.id;
    state.cleanup = module.render(main, screenContext(user, route, main)) || (() => {});
  } catch (e) {
    main.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, t('load_failed', { message: e.message })));
  }
}

/** Fetch the role's screens while idle, so the service worker has them for offline use. */
function warmScreens(role) {
  const idle = window.requestIdleCallback || ((fn) => setTimeout(fn, 1500));
  // One module per idle slice, never all at once: a burst of imports is one long task that delays the first tap.
  const next = (list) => { if (list.length) idle(() => list[0].load().catch(() => {}).then(() => next(list.slice(1)))); };
  next(screensFor(role));
}

function renderShell() {
  teardownShell();
  const user = session.user();
  if (!user) return renderLogin();
  document.body.dataset.view = 'shell';
  document.body.dataset.role = user.role;
  const pending = badge({ label: (count) => t('pending_writes', { count }), className: 'badge pending' });
  const conn = connectionIndicator(t);
  const main = h('main', { class: 'screen', id: 'screen', tabindex: '-1' });
  const nav = bottomNav(user);
  appRoot.replaceChildren(header(user, pending, conn), main, nav);
  const state = { cleanup: () => {}, token: null };
  const stopOutbox = outbox.onChange((count) => pending.set(count));
  outbox.count().then((count) => pending.set(count));
  const stopRoute = router.onRoute((route) => mountScreen(main, nav, user, route, state));
  mountScreen(main, nav, user, router.current(), state);
  warmScreens(user.role);
  teardownShell = () => { state.cleanup(); stopOutbox(); stopRoute(); conn.stop(); };
}

function reportReplays() {
  outbox.events.addEventListener('delivered', (e) => {
    if (e.detail.late) toast(t('delivered', { label: e.detail.item.label || e.detail.item.path }));
  });
  outbox.events.addEventListener('failed', (e) => {
    if (e.detail.late) {
      toast(t('failed', { label: e.detail.item.label || e.detail.item.path, message: e.detail.error.message }),
        { kind: 'error', timeoutMs: 10000 });
    }
  });
}

function boot() {
  setLang(lang());
  langEvents.addEventListener('change', () => (session.user() ? renderShell() : renderLogin()));
  session.events.addEventListener('signedout', (e) => {
    if (e.detail === 'expired') toast(t('session_expired'), { kind: 'error' });
    renderLogin();
    // A session that could not be renewed says so on the login screen itself, not only in a passing toast.
    if (e.detail === 'expired') {
      appRoot.querySelector('.login-top')?.append(h('p', { class: 'notice session-expired', role: 'alert' }, t('session_expired')));
    }
  });
  reportReplays();
  renderShell();
  outbox.startAutoReplay();
  registerServiceWorker(t).catch((e) => console.warn('service worker not registered', e));
}

boot();
