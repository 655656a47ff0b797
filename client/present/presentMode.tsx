import { useCallback, useState } from 'react'
import { BUTTON } from '../controls.js'
import { useI18n } from '../i18n.js'

// The switch into presentation mode, in the board's chunk; the presentation itself (Presentation.tsx)
// is a chunk of its own, loaded only when a facilitator or observer presents.

/** A board link ending in this opens in presentation mode (the beamer's browser keeps it on reload). */
export const PRESENT_HASH = '#presentatie'

/**
 * Whether this page presents, and a switch for it. The state lives in the link's hash, so a reload of
 * the beamer's page stays in presentation mode; switching on asks for the full screen too.
 */
export function usePresentation(): [boolean, (on: boolean) => void] {
  const [presenting, setPresenting] = useState(() => location.hash === PRESENT_HASH)
  const present = useCallback((on: boolean) => {
    history.replaceState(history.state, '', `${location.pathname}${location.search}${on ? PRESENT_HASH : ''}`)
    setPresenting(on)
    if (on) document.documentElement.requestFullscreen?.().catch(() => {})
    else if (document.fullscreenElement) document.exitFullscreen().catch(() => {})
  }, [])
  return [presenting, present]
}

/** "Presenteren", on the facilitator's and the observer's page. */
export function PresentButton({ onPresent }: { onPresent: () => void }) {
  const { t } = useI18n()
  return (
    <button className={BUTTON} type="button" data-action="present" onClick={onPresent}>
      {t.presentation}
    </button>
  )
}
