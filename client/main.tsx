import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { BoardApp } from './board/BoardApp.js'
import { takeLinkToken } from './board/linkToken.js'
import { LanguageProvider } from './i18n.js'
import { StartPage } from './StartPage.js'
import './styles.css'

const boardPath = /^\/b\/([^/]+)$/.exec(location.pathname)
const root = document.getElementById('root')
if (root) {
  createRoot(root).render(
    <StrictMode>
      <LanguageProvider>
        {boardPath ? (
          <BoardApp
            boardId={decodeURIComponent(boardPath[1] as string)}
            token={takeLinkToken(decodeURIComponent(boardPath[1] as string))}
          />
        ) : (
          <StartPage />
        )}
      </LanguageProvider>
    </StrictMode>,
  )
}

if ('serviceWorker' in navigator && import.meta.env.PROD) {
  // The app shell is cached by the service worker, so an open board also reloads while offline.
  navigator.serviceWorker.register('/sw.js').catch(() => {})
}
