// Home for every role: the next step first (a big card: the driver's current load and the one thing to do now,
// what waits on the other roles), then who is signed in and a tile for each of the role's screens (the menu).
import { fill, h } from '../../ui/dom.js';
import { icon } from '../../ui/icons.js';
import { pick } from '../../lib/i18n.js';
import { driverCard } from './next-step.js';
import { roleCard } from './next-step-roles.js';

// The inbox tile carries the unread count (the server's, or the last one kept when offline).
function inboxBadge(root, api, user, t) {
  const tile = root.querySelector('[data-screen="inbox"]');
  if (!tile) return;
  const count = h('span', { class: 'badge unread-badge', hidden: true, 'aria-live': 'polite' });
  tile.append(count);
  import('./inbox.js').then((inbox) => inbox.unreadCount(api, user.id)).then((unread) => {
    count.hidden = !unread;
    count.textContent = String(unread);
    count.setAttribute('aria-label', t('inbox.unread', { count: unread }));
  }).catch(() => {});
}

// The service worker renews a push subscription the browser replaced (pushsubscriptionchange) and leaves it
// here: only the page holds the access token to hand it to the server.
async function renewedPushSubscription(write) {
  if (!('caches' in window)) return;
  const kept = await caches.match('/__push-renewed');
  if (!kept) return;
  await write('POST', '/api/appointments/push/subscriptions', await kept.json(), 'push');
  await (await caches.open('push-renewed')).delete('/__push-renewed');
}

/** The role's next-step card ({el, stop}), or null without an API (a bare render in tests) or for a role without one. */
function nextStep(ctx) {
  if (!ctx.api || !ctx.navigate || !ctx.addMessages) return null;
  return ctx.user.role === 'driver' ? driverCard(ctx) : roleCard(ctx);
}

export function render(root, ctx) {
  const { user, t, screens, api, write } = ctx;
  const tiles = screens.filter((s) => !s.hidden);
  const step = nextStep(ctx);
  fill(root,
    step ? step.el : null,
    h('section', { class: 'card whoami' },
      h('h1', { class: 'user-name' }, user.name),
      h('p', { class: 'user-role', dataset: { role: user.role } }, t(`role.${user.role}`))),
    tiles.length
      ? h('nav', { class: 'tiles', 'aria-label': t('app_name') }, tiles.map((s) =>
        h('a', { class: 'tile', href: `#/${s.id}`, dataset: { screen: s.id } },
          h('span', { class: 'icon', 'aria-hidden': 'true' }, icon(s.icon)), h('span', {}, pick(s.title)))))
      : null,
  );
  if (api) inboxBadge(root, api, user, t);
  if (write) renewedPushSubscription(write).catch(() => {});
  return () => step?.stop();
}
