import { lazy, StrictMode, Suspense } from 'react'
import { createRoot } from 'react-dom/client'
import { BoardGate } from './board/BoardGate.js'
import { fetchBoardInfo } from './board/boardInfo.js'
import { takeLinkToken } from './board/linkToken.js'
import { LanguageProvider } from './i18n.js'
import './styles.css'

// The start page and the board are chunks of their own: a phone that opens a board link loads
// neither the start page's code nor, before its join screen shows, the board's.
const StartPage = lazy(() => import('./StartPage.js').then((module) => ({ default: module.StartPage })))

const boardPath = /^\/b\/([^/]+)$/.exec(location.pathname)
const boardId = boardPath ? decodeURIComponent(boardPath[1] as string) : null
// The link's token leaves the address bar at once (kept for this tab; see linkToken.ts).
const token = boardId ? takeLinkToken(boardId) : null
// Ask about the board at once, before React renders: the join screen shows the board's title.
if (boardId && token) void fetchBoardInfo(boardId, token)
const root = document.getElementById('root')
if (root) {
  createRoot(root).render(
    <StrictMode>
      <LanguageProvider>
        {boardId ? (
          <BoardGate boardId={boardId} token={token} />
        ) : (
          <Suspense fallback={null}>
            <StartPage />
          </Suspense>
        )}
      </LanguageProvider>
    </StrictMode>,
  )
}

if ('serviceWorker' in navigator && import.meta.env.PROD) {
  // The app shell is cached by the service worker, so an open board also reloads while offline.
  navigator.serviceWorker.register('/sw.js').catch(() => {})
}
