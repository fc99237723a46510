/* Service worker of the cashier screen (scope /<db>/caisse/): the page and
 * its files load without network, the catalogue too (the last one
 * fetched). Sales, logins and every POST go to the network only: the page
 * keeps its own queue of sales to send, a cache must never answer for them. */
'use strict';

const SCOPE = self.registration.scope;  // https://…/<db>/caisse/
// Bump the version when the list changes; the scope in the name keeps two
// databases of one server apart.
const CACHE = `caisse-v1 ${SCOPE}`;
const SHELL = ['./', 'caisse.css', 'caisse.js', 'ean13.js', 'cart.js',
  'manifest.webmanifest', 'icon.svg'];
const CATALOGUE = new URL('api/catalogue', SCOPE).href;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE)
    .then((cache) => cache.addAll(SHELL))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names
      .filter((name) => name.endsWith(` ${SCOPE}`) && name !== CACHE)
      .map((name) => caches.delete(name))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const {request} = event;
  if (request.method !== 'GET') {
    return;
  }
  const url = new URL(request.url);
  if (url.origin + url.pathname === CATALOGUE) {
    event.respondWith(networkFirst(request));
  } else if (isStatic(url)) {
    event.respondWith(cacheFirst(event, request));
  }
});

/** The page and the files beside it; not api/… nor receipt/… */
function isStatic(url) {
  const path = url.href.startsWith(SCOPE) ? url.origin + url.pathname : '';
  return Boolean(path) && !path.slice(SCOPE.length).includes('/');
}

/** From the cache at once, refreshed in the background for the next load. */
async function cacheFirst(event, request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, {ignoreSearch: true});
  const refresh = fetch(request).then((response) => {
    if (response.ok) {
      cache.put(request, response.clone());
    }
    return response;
  });
  if (cached) {
    event.waitUntil(refresh.catch(() => undefined));
    return cached;
  }
  return refresh;
}

/** From the network; without network, the last one fetched, marked so that
 * the page knows it is offline. */
async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) {
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    const cached = await cache.match(request);
    if (!cached) {
      throw error;
    }
    const headers = new Headers(cached.headers);
    headers.set('X-Caisse-Cache', 'offline');
    return new Response(cached.body, {status: cached.status, headers});
  }
}
