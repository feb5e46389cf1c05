// spur's web check-in service worker: pins the release this browser first loaded and warns when
// the server offers another one.
//
// On install it reads /app/release.json (every file's SHA-384 and the release's hash), fetches
// each file with that integrity and keeps them in a cache named after the release, and remembers
// the release as pinned. From then on the shell's files come from that cache (the check-in also
// opens offline), and every time the shell is opened it asks the server for release.json: a
// different hash is told to the page, which warns and lets the person accept it. What this does
// not protect against (a replaced sw.js, a first visit to a swapped page) is in docs/web.md.
'use strict';

const PIN = 'spur-pin';
const PIN_KEY = '/app/__pinned-release';

async function pinned() {
  const cache = await caches.open(PIN);
  const r = await cache.match(PIN_KEY);
  return r ? r.text() : null;
}

async function setPinned(release) {
  const cache = await caches.open(PIN);
  await cache.put(PIN_KEY, new Response(release));
}

async function offered() {
  const r = await fetch('/app/release.json', { cache: 'no-store' });
  if (!r.ok) throw new Error(`release.json: ${r.status}`);
  return r.json();
}

/** Fetches every file of `manifest` with its integrity into the release's cache. */
async function keep(manifest) {
  const cache = await caches.open(`spur-release-${manifest.release}`);
  await Promise.all(
    Object.entries(manifest.files).map(async ([path, integrity]) => {
      const r = await fetch(new Request(path, { integrity, cache: 'no-store' }));
      if (!r.ok) throw new Error(`${path}: ${r.status}`);
      await cache.put(path, r);
    }),
  );
  await cache.put('/app/', (await cache.match('/app/index.html')).clone());
}

async function dropOthers(release) {
  for (const name of await caches.keys()) {
    if (name.startsWith('spur-release-') && name !== `spur-release-${release}`) await caches.delete(name);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const manifest = await offered();
    const pin = await pinned();
    // A first visit pins what it got; a later one keeps the pin (a change is only warned about).
    if (pin === null) {
      await keep(manifest);
      await setPinned(manifest.release);
    }
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

async function tell(message) {
  for (const c of await self.clients.matchAll({ includeUncontrolled: true })) c.postMessage(message);
}

/** Compares the server's release with the pinned one and tells the pages when they differ. */
async function check() {
  try {
    const pin = await pinned();
    const manifest = await offered();
    if (pin && manifest.release !== pin) {
      await tell({ type: 'release-changed', pinned: pin, offered: manifest.release });
    }
  } catch (_) {
    // Offline: the pinned release keeps working.
  }
}

async function answer(request) {
  const pin = await pinned();
  if (pin) {
    const cache = await caches.open(`spur-release-${pin}`);
    const url = new URL(request.url);
    const hit = await cache.match(url.pathname);
    if (hit) return hit;
  }
  return fetch(request);
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  // Only the shell's own files; the core's calls to the TAG and POST servers pass untouched.
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || !url.pathname.startsWith('/app/')) return;
  if (url.pathname === '/app/release.json') return;
  if (event.request.mode === 'navigate') event.waitUntil(check());
  event.respondWith(answer(event.request));
});

self.addEventListener('message', (event) => {
  const d = event.data || {};
  if (d.type === 'check-release') {
    event.waitUntil(check());
  } else if (d.type === 'accept-release') {
    event.waitUntil((async () => {
      const manifest = await offered();
      await keep(manifest);
      await setPinned(manifest.release);
      await dropOthers(manifest.release);
      await tell({ type: 'release-accepted', release: manifest.release });
    })());
  }
});
