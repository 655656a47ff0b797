import { lazy, StrictMode, Suspense } from 'react'
import { createRoot } from 'react-dom/client'
import { BoardGate } from './board/BoardGate.js'
import { LanguageProvider } from './i18n.js'

// The start page is a chunk of its own: a phone that opens a board link does not load it.
const StartPage = lazy(() => import('./StartPage.js').then((module) => ({ default: module.StartPage })))

/** The board's code (its chunk), for client/main.ts to have it in before it mounts a board. */
export { loadBoard } from './board/BoardGate.js'

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
