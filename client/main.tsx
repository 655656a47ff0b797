import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { StartPage } from './StartPage.js'

const root = document.getElementById('root')
if (root) {
  createRoot(root).render(
    <StrictMode>
      <StartPage />
    </StrictMode>,
  )
}
