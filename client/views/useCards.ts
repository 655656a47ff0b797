import { useMemo, useRef, useSyncExternalStore } from 'react'
import type * as Y from 'yjs'
import { CardKey, cardsOf } from '../../model/layout.js'
import { type CardView, listCards } from '../../model/read.js'

/**
 * The board's live cards (as `listCards` reads them), re-read only when cards come or go or one of
 * `keys` of a card changes (a field id: anything inside it). A derived reading, never a second copy:
 * thrown away on every relevant change. The number, lane, order and deletion always count.
 */
export function useCards(doc: Y.Doc, keys: readonly string[]): CardView[] {
  // Compared by content: callers may pass a fresh array on every render.
  const keyList = keys.join('\n')
  const watched = useMemo<ReadonlySet<string>>(
    () => new Set([CardKey.lane, CardKey.order, CardKey.number, CardKey.deletedAt, ...keyList.split('\n')]),
    [keyList],
  )
  const cache = useRef<{ stale: boolean; value: CardView[] } | null>(null)
  const store = useMemo(() => {
    cache.current = null
    const cards = cardsOf(doc)
    return {
      subscribe(onChange: () => void) {
        const handler = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
          const relevant = events.some(
            (event) =>
              event.target === cards ||
              watched.has(event.path[1] as string) ||
              (event.path.length === 1 &&
                [...(event as Y.YMapEvent<unknown>).keysChanged].some((key) => watched.has(key))),
          )
          if (!relevant) return
          if (cache.current) cache.current.stale = true
          onChange()
        }
        cards.observeDeep(handler)
        return () => cards.unobserveDeep(handler)
      },
      get(): CardView[] {
        if (!cache.current || cache.current.stale) cache.current = { stale: false, value: listCards(doc) }
        return cache.current.value
      },
    }
  }, [doc, watched])
  return useSyncExternalStore(store.subscribe, store.get)
}
