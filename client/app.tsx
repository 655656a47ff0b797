import { lazy, StrictMode, Suspense } from 'react'
import { createRoot } from 'react-dom/client'
import { BoardGate, loadBoard } from './board/BoardGate.js'
import { fetchClientConfig } from './board/join/clientConfig.js'
import { LanguageProvider } from './i18n.js'

// The start page is a chunk of its own: a phone that opens a board link does not load it.
const StartPage = lazy(() => import('./StartPage.js').then((module) => ({ default: module.StartPage })))

/** The React app: the start page, or a board link (its join screen when no name is known, then the board). */
export function mount(root: HTMLElement, boardId: string | null, token: string | null): void {
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

/**
 * While the join screen asks for a name: fetch the board's code and the client settings, and open the
 * board's session (sync), so that "Meedoen" shows the board without waiting for the network.
 */
export function prepareBoard(boardId: string, token: string): void {
  void fetchClientConfig()
  void loadBoard().then((board) => board.openSessionEarly(boardId, token))
}
