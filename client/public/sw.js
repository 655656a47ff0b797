// Werkbord service worker: keeps the app shell in the browser so an open board also (re)loads offline.
// Board data itself lives in IndexedDB (y-indexeddb) and syncs over the WebSocket; nothing here touches it.
const CACHE = 'werkbord-shell-v1'
const SHELL = '/index.html'

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE)
      const response = await fetch('/', { cache: 'no-store' })
      const html = await response.clone().text()
      await cache.put(SHELL, response)
      // Built assets, and the organisation's theme (THEME_CSS) when the page links one.
      const assets = [...html.matchAll(/(?:src|href)="(\/(?:assets\/|theme\.css\?)[^"]+)"/g)].map(
        (match) => match[1],
      )
      await cache.addAll(assets)
      await self.skipWaiting()
    })(),
  )
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key)
      await self.clients.claim()
    })(),
  )
})

self.addEventListener('fetch', (event) => {
  const request = event.request
  const url = new URL(request.url)
  if (request.method !== 'GET' || url.origin !== self.location.origin) return
  if (request.mode === 'navigate') {
    // Pages: the network first (fresh shell), the cached shell when offline.
    event.respondWith(
      fetch(request)
        .then((response) => {
          // Not a page the server marked no-store: a board link's page carries that board's info.
          if (response.ok && !/no-store/.test(response.headers.get('cache-control') ?? '')) {
            const copy = response.clone()
            caches.open(CACHE).then((cache) => cache.put(SHELL, copy))
          }
          return response
        })
        .catch(() => caches.match(SHELL)),
    )
    return
  }
  if (url.pathname.startsWith('/assets/') || (url.pathname === '/theme.css' && url.search !== '')) {
    // Built assets have content hashes in their names, the theme its version in the query: cache
    // first, and keep what was fetched.
    event.respondWith(
      caches.match(request).then(
        (cached) =>
          cached ||
          fetch(request).then((response) => {
            if (response.ok) {
              const copy = response.clone()
              caches.open(CACHE).then((cache) => cache.put(request, copy))
            }
            return response
          }),
      ),
    )
  }
})
