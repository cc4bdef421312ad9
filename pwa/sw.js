// Coal Haul service worker: precache the shell, serve it cache-first, never touch the API.
// Leave the VERSION line as it is: the server (backend/web.py) rewrites it to a hash of every pwa/
// file, so any change ships a new worker (and the update prompt); old caches go by prefix on activate.
const VERSION = 'v1';
const PREFIX = 'coalhaul-';
const SHELL_CACHE = `${PREFIX}shell-${VERSION}`;
const RUNTIME_CACHE = `${PREFIX}runtime-${VERSION}`;

const SHELL = [
  '/', '/app.js', '/styles.css', '/manifest.webmanifest',
  '/icons/icon-192.png', '/icons/icon-512.png', '/icons/maskable-512.png',
  // Every file in lib/ and ui/ (tests/pwa/test_layout.py checks): screens import them, even offline.
  '/lib/api.js', '/lib/catalogue.js', '/lib/companies.js', '/lib/format.js', '/lib/geo.js', '/lib/i18n.js', '/lib/outbox.js',
  '/lib/router.js', '/lib/screens.js', '/lib/session.js', '/lib/sw-client.js', '/lib/upload.js',
  '/lib/waybill-words.js', '/lib/handoff.js', '/lib/qr.js', '/lib/qr-encoder.js', '/lib/error-words.js', '/lib/refresh.js', '/lib/risk-words.js',
  '/ui/badge.js', '/ui/confirm.js', '/ui/contact-buttons.js', '/ui/dom.js', '/ui/field.js', '/ui/icons.js', '/ui/list.js', '/ui/map.js', '/ui/order-form.js', '/ui/place-picker.js', '/ui/position-consent.js',
  '/ui/fence-editor.js', '/ui/quota-table.js', '/ui/chart.js', '/ui/kpi-board.js', '/ui/site-form.js', '/ui/status-bar.js', '/ui/ticket.js', '/ui/toast.js', '/ui/update-prompt.js',
  '/roles/common/home.js', '/roles/common/next-step.js', '/roles/common/next-step-roles.js', '/roles/common/login.js', '/roles/carrier/fleet.js', '/roles/carrier/joining.js',
  '/vendor/idb/build/index.js',
];

self.addEventListener('install', (event) => {
  // cache: 'reload' so a fresh install never copies a stale HTTP-cached file.
  event.waitUntil(caches.open(SHELL_CACHE)
    .then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { cache: 'reload' })))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const keep = new Set([SHELL_CACHE, RUNTIME_CACHE]);
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith(PREFIX) && !keep.has(n)).map((n) => caches.delete(n)));
    await self.clients.claim(); // control the first page too, so it works offline after one visit
  })());
});

// Only when the page asks (the user pressed "reload"): never swap code under a half-typed form.
self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') self.skipWaiting();
});

async function cacheFirst(request) {
  const cached = await caches.match(request, { ignoreSearch: request.mode === 'navigate' });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) (await caches.open(RUNTIME_CACHE)).put(request, response.clone());
  return response;
}

// Role screens change more often than the shell: answer from cache, refresh it in the background.
async function staleWhileRevalidate(event) {
  const cache = await caches.open(RUNTIME_CACHE);
  const cached = await caches.match(event.request);
  const refresh = fetch(event.request).then((response) => {
    if (response.ok) return cache.put(event.request, response.clone()).then(() => response);
    return response;
  });
  if (cached) {
    event.waitUntil(refresh.catch(() => {}));
    return cached;
  }
  return refresh;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) return; // network only: offline reads are the app's job
  if (request.mode === 'navigate' && !url.pathname.startsWith('/vendor/')) {
    event.respondWith(caches.match('/', { cacheName: SHELL_CACHE }).then((r) => r || fetch(request)));
    return;
  }
  if (url.pathname.startsWith('/roles/') && !SHELL.includes(url.pathname)) {
    event.respondWith(staleWhileRevalidate(event));
    return;
  }
  event.respondWith(cacheFirst(request));
});

// Web Push: the server sends {type, booking_id, title, body, url, tag}; show it even with the app closed.
self.addEventListener('push', (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch { /* not JSON: show the default text */ }
  event.waitUntil(self.registration.showNotification(data.title || '煤运通 · Coal Haul', {
    body: data.body || '', tag: data.tag || `booking-${data.booking_id || ''}`, renotify: true,
    requireInteraction: data.type === 'called', vibrate: [400, 200, 400, 200, 400],
    icon: '/icons/icon-192.png', badge: '/icons/icon-192.png', data: { url: data.url || '/#/queue' },
  }));
});

// A tap focuses an open app window (moving it to the queue) or opens one there.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL(event.notification.data?.url || '/#/queue', self.location.origin).href;
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const open = windows.find((w) => new URL(w.url).origin === self.location.origin);
    if (!open) return self.clients.openWindow(url);
    await open.focus();
    return open.navigate ? open.navigate(url).catch(() => open) : open;
  })());
});

// The push service replaced or expired the subscription: subscribe again with the same server key and leave the
// new one for the page (home.js), which hands it to the server with the signed-in user's token. Where no push
// service is reachable (most phones in mainland China) nothing here runs: SMS and the inbox carry the news.
self.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil((async () => {
    const key = event.oldSubscription?.options?.applicationServerKey;
    const renewed = event.newSubscription
      || (key ? await self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }) : null);
    if (!renewed) return;
    const body = JSON.stringify(renewed.toJSON());
    // Not under PREFIX: a new worker's clean-up must not drop it before the page picked it up.
    await (await caches.open('push-renewed')).put('/__push-renewed', new Response(body, { headers: { 'Content-Type': 'application/json' } }));
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    windows.forEach((w) => w.postMessage({ type: 'push-subscription-renewed' }));
  })());
});
