// Home for every role: who is signed in, and a tile for each of the role's screens.
import { fill, h } from '../../ui/dom.js';
import { pick } from '../../lib/i18n.js';

export function render(root, { user, t, screens }) {
  const tiles = screens.filter((s) => !s.hidden);
  fill(root,
    h('section', { class: 'card whoami' },
      h('h1', { class: 'user-name' }, user.name),
      h('p', { class: 'user-role', dataset: { role: user.role } }, t(`role.${user.role}`))),
    tiles.length
      ? h('nav', { class: 'tiles', 'aria-label': t('app_name') }, tiles.map((s) =>
        h('a', { class: 'tile', href: `#/${s.id}`, dataset: { screen: s.id } },
          h('span', { class: 'icon', 'aria-hidden': 'true' }, s.icon), h('span', {}, pick(s.title)))))
      : null,
  );
  return () => {};
}
