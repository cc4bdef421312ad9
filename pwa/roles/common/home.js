// Home for every role: who is signed in, and a tile for each of the role's screens.
import { fill, h } from '../../ui/dom.js';
import { icon } from '../../ui/icons.js';
import { pick } from '../../lib/i18n.js';

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

export function render(root, { user, t, screens, api, write }) {
  const tiles = screens.filter((s) => !s.hidden);
  fill(root,
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
  return () => {};
}
