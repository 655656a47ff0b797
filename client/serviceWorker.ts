/**
 * The service worker (client/public/sw.js) keeps the app shell in the browser, so an open board also
 * reloads while offline. Its installation starts a worker and fetches the shell and its scripts once
 * more: on a page still loading, that competes for the CPU with the page itself (about 100 ms later
 * first faces on a 300-card board, bench/first-paint.ts). So it is registered only when the page has
 * settled: a board once its content shows (BoardApp.tsx), any other page once it has loaded (main.ts),
 * and then when the browser is idle. Registering again is harmless; this asks once per page.
 */
import { whenIdle } from './whenIdle.js'

let asked = false

export function registerServiceWorkerWhenIdle(): void {
  if (asked || !('serviceWorker' in navigator) || !import.meta.env.PROD) return
  asked = true
  whenIdle(() => void navigator.serviceWorker.register('/sw.js').catch(() => {}), 2000)
}
