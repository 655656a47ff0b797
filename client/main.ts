import { fetchBoardInfo, takeInfoFromPage } from './board/join/boardInfo.js'
import { fetchClientConfig } from './board/join/clientConfig.js'
import { renderJoinScreen } from './board/join/joinScreen.js'
import { takeLinkToken } from './board/join/linkToken.js'
import { rememberedUser, rememberUser } from './board/session/user.js'
import { storedJoinTexts } from './language.js'
import { registerServiceWorkerWhenIdle } from './serviceWorker.js'
import './styles.css'

// The entry is small and framework-free: on a board link it takes the board's info from the page (or
// asks for it at once) and shows the join screen in plain DOM, without waiting for React (≈ 65 kB gzip),
// every text (texts.ts: it carries joinTexts.ts only) or the board's code. Those load while the person
// types a name; the start page and a returning user's board load them first.
// test/project/chunks.test.ts ([SZ1]) keeps what this file imports small.
const boardPath = /^\/b\/([^/]+)$/.exec(location.pathname)
const boardId = boardPath ? decodeURIComponent(boardPath[1] as string) : null
// The link's token leaves the address bar at once (kept for this tab; see linkToken.ts).
const token = boardId ? takeLinkToken(boardId) : null
// The board's info came with the page (a link with a valid token), or is asked for at once: the join
// screen shows the board's title.
if (boardId && token) {
  takeInfoFromPage(boardId, token)
  void fetchBoardInfo(boardId, token)
}
const loadApp = () => import('./app.js')

/**
 * Everything the board needs, asked for at once and side by side rather than one after the other
 * (React, then the board's code, then the session, as rendering would ask for them): the app (React),
 * the board's code, the client settings, and the board's session — this browser's copy (IndexedDB),
 * the WebSocket and the sync — opened as soon as its code (Yjs and the sync, without React) is here
 * and the link is good, so the board's content is arriving while React starts. The board takes that
 * session when it first renders (sessionCache.ts: one session per board and page, whichever comes
 * first). test/browser/first-render.test.ts ([FR1], [FR2]) holds this order.
 */
function startBoard(boardId: string, token: string, joining: boolean): Promise<typeof import('./app.js')> {
  const app = loadApp()
  void import('./board/BoardApp.js')
  // On the join screen the settings wait for the app: its first requests are for the page alone.
  if (joining) void app.then(() => fetchClientConfig())
  else void fetchClientConfig()
  void Promise.all([import('./board/session/sessionCache.js'), fetchBoardInfo(boardId, token)]).then(
    ([sessions, info]) => info.ok && sessions.openSessionEarly(boardId, token),
  )
  return app
}

const root = document.getElementById('root')
if (root) {
  if (!boardId) void loadApp().then((app) => app.mount(root, null, null))
  else if (!token) void loadApp().then((app) => app.mount(root, boardId, null))
  else if (rememberedUser().name === '') void join(root, boardId, token)
  else
    void startBoard(boardId, token, false).then(async (app) => {
      // React's first render is the board's, with its code here (BoardGate.tsx), not a loading line.
      await app.loadBoard().catch(() => {})
      app.mount(root, boardId, token)
    })
}

/** Resolves once the browser has painted what is in the page now (the frame after the next one starts). */
function afterNextPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))
}

async function join(root: HTMLElement, boardId: string, token: string): Promise<void> {
  const t = storedJoinTexts()
  const loading = Object.assign(document.createElement('p'), { className: 'loading', textContent: t.loading })
  root.replaceChildren(loading)
  const result = await fetchBoardInfo(boardId, token)
  // A bad or unreachable link: the app says so (BoardApp asks once more).
  if (!result.ok) return (await loadApp()).mount(root, boardId, token)
  const joined = new Promise<void>((resolve) =>
    renderJoinScreen(root, {
      title: result.info.title,
      t,
      fixedName: result.info.invitee?.name,
      onJoin: (user) => {
        rememberUser(user)
        resolve()
      },
    }),
  )
  // Only now, with the join screen painted: React, the board's code and its session, while the name is
  // typed (presence stays empty until the board sets it: nobody sees a name before the person joined).
  // Not before its frame: asking for the scripts takes the main thread a while on a slow phone (a
  // preload link per script), and the screen would wait for it (bench/browser.ts, slow 4G).
  await afterNextPaint()
  const app = startBoard(boardId, token, true)
  void app.then((loaded) => loaded.loadBoard())
  await joined
  // React replaces the join screen when it first renders (the board, now that a name is known).
  ;(await app).mount(root, boardId, token)
}

// A page without a board to show registers the service worker once it has loaded; a board does so
// once its content shows (serviceWorker.ts says why).
if (!boardId || !token) addEventListener('load', registerServiceWorkerWhenIdle, { once: true })
