import { useEffect } from 'react'
import type * as Y from 'yjs'
import { readSpotlight, setSpotlight } from '../../model/timer.js'
import { BUTTON } from '../controls.js'
import { useI18n } from '../i18n.js'
import { useMeta } from './hooks.js'
import { LOCAL } from './session/session.js'

/** The card in the spotlight (set by the facilitator), or null. */
export function useSpotlight(doc: Y.Doc): string | null {
  useMeta(doc)
  return readSpotlight(doc)
}

/** In the list view: scroll the spotlit card into view for everyone when the facilitator picks it. */
export function useScrollToSpotlight(doc: Y.Doc): string | null {
  const spotlight = useSpotlight(doc)
  useEffect(() => {
    if (!spotlight) return
    requestAnimationFrame(() =>
      document
        .querySelector(`article[data-card-id="${spotlight}"]`)
        ?.scrollIntoView({ behavior: 'smooth', block: 'center' }),
    )
  }, [spotlight])
  return spotlight
}

/** The facilitator's spotlight switch on a card. */
export function SpotlightButton({ doc, cardId }: { doc: Y.Doc; cardId: string }) {
  const { t } = useI18n()
  const spotlight = useSpotlight(doc)
  const on = spotlight === cardId
  return (
    <button
      className={BUTTON}
      type="button"
      data-action="spotlight"
      aria-pressed={on}
      onClick={() => setSpotlight(doc, on ? null : cardId, LOCAL)}
    >
      {on ? t.spotlightOff : t.spotlightOn}
    </button>
  )
}
