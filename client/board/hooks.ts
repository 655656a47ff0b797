import { useMemo, useRef, useSyncExternalStore } from 'react'
import type * as Y from 'yjs'
import { type BoardMeta, readMeta } from '../../model/board.js'
import { CardKey, cardsOf, metaOf } from '../../model/layout.js'
import { type Facilitation, readFacilitation } from '../../model/phases.js'
import { readObserverExportNames } from '../../model/privacy.js'
import {
  type CardFaceView,
  type CardView,
  cardFaceView,
  cardNumbers,
  cardPlaces,
  cardView,
  criteriaByCard,
} from '../../model/read.js'
import { readTimer, type TimerState } from '../../model/timer.js'
import { readVoterCount, readVoting, VOTES, type VotingSettings, voteTotals } from '../../model/voting.js'
import { afterRemoteChange, cancelRemoteChange } from './remoteRenders.js'
import type { BoardSession, SessionState } from './session/session.js'

/** Re-renders on every change of the session's connection state. */
export function useSessionState(session: BoardSession): SessionState {
  return useSyncExternalStore(session.subscribe, session.getState)
}

/**
 * One value of the session's state: re-renders only when that value changes. The unsent count and
 * "saved locally" change with every edit, also everyone else's; the board around the cards needs only
 * the connection and whether the board has loaded.
 */
export function useSessionValue<K extends keyof SessionState>(
  session: BoardSession,
  key: K,
): SessionState[K] {
  return useSyncExternalStore(session.subscribe, () => session.getState()[key])
}

/**
 * How many transactions changed something in a root type of the doc (meta, the cards, the votes):
 * tells whether it changed between two moments. Not every transaction: an empty one (a sync answer
 * with nothing new, this browser's copy opening) or one elsewhere in the doc changes nothing here.
 */
const changeCounts = new WeakMap<Y.Map<unknown>, { count: number }>()
function changesOf(root: Y.Map<unknown>): { count: number } {
  let seen = changeCounts.get(root)
  if (!seen) {
    const counter = { count: 0 }
    ;(root.doc as Y.Doc).on('afterTransaction', (transaction: Y.Transaction) => {
      // A change anywhere in it lists the root among the changed parent types.
      const changed: ReadonlyMap<unknown, unknown> = transaction.changedParentTypes
      if (changed.has(root)) counter.count++
    })
    changeCounts.set(root, counter)
    seen = counter
  }
  return seen
}

const neverSame = () => false

/**
 * A value derived from the doc, recomputed only when `observe` reports a change. Views never keep a
 * copy of card data: this is a cache of the model's reading, thrown away on every relevant change.
 * React subscribes after rendering: a change in between (an update arriving before the subscription,
 * say the last keystroke of someone typing while this face mounts) is caught there and read again.
 */
function useDerived<T>(
  /** The root type the value is read from (changes elsewhere do not make it stale). */
  root: Y.Map<unknown>,
  subscribe: (onChange: () => void) => () => void,
  read: () => T,
  /** Whether two readings show the same: spares a render when the change in between was elsewhere. */
  same: (a: T, b: T) => boolean = neverSame,
): T {
  const reader = useRef(read)
  reader.current = read
  const store = useMemo(() => {
    const changes = changesOf(root)
    let value = reader.current()
    let readAt = changes.count
    let stale = false
    return {
      subscribe: (onStoreChange: () => void) => {
        const unsubscribe = subscribe(() => {
          stale = true
          onStoreChange()
        })
        // React checks the snapshot right after subscribing: it sees a new value if the doc changed.
        if (changes.count !== readAt) {
          const fresh = reader.current()
          readAt = changes.count
          if (!same(fresh, value)) value = fresh
        }
        return unsubscribe
      },
      get: () => {
        if (stale) {
          const fresh = reader.current()
          readAt = changes.count
          stale = false
          // The same reading keeps the same value: nothing renders for a change it does not show.
          if (!same(fresh, value)) value = fresh
        }
        return value
      },
    }
  }, [root, subscribe, same])
  return useSyncExternalStore(store.subscribe, store.get)
}

/**
 * A subscription to the cards: fires when cards come or go, or when one of `keys` of a card changes
 * (set, or — for a key holding a Y type — anything inside it).
 */
function onCardKeys(doc: Y.Doc, keys: readonly string[]) {
  const cards = cardsOf(doc)
  return (onChange: () => void) => {
    const handler = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
      const relevant = events.some(
        (event) =>
          event.target === cards ||
          keys.includes(event.path[1] as string) ||
          (event.path.length === 1 &&
            [...(event as Y.YMapEvent<unknown>).keysChanged].some((key) => keys.includes(key))),
      )
      if (relevant) onChange()
    }
    cards.observeDeep(handler)
    return () => cards.unobserveDeep(handler)
  }
}

function observeDeep(type: Y.Map<unknown>) {
  return (onChange: () => void) => {
    type.observeDeep(onChange)
    return () => type.unobserveDeep(onChange)
  }
}

/** A value read from the board's `meta` (title, phase, voting, timer …), re-read whenever meta changes. */
function useFromMeta<T>(doc: Y.Doc, read: (doc: Y.Doc) => T): T {
  const subscribe = useMemo(() => observeDeep(metaOf(doc)), [doc])
  return useDerived(metaOf(doc), subscribe, () => read(doc))
}

export function useFacilitation(doc: Y.Doc): Facilitation {
  return useFromMeta(doc, readFacilitation)
}

/** The facilitator's voting settings (budget, several per card, revealed). */
export function useVotingSettings(doc: Y.Doc): VotingSettings {
  return useFromMeta(doc, readVoting)
}

/** How many participants have voted so far (not what): shown before the reveal. */
export function useVoterCount(doc: Y.Doc): number {
  return useFromMeta(doc, readVoterCount)
}

/** The facilitator's timer, as set (the time left is computed from it against the server clock). */
export function useTimer(doc: Y.Doc): TimerState | null {
  return useFromMeta(doc, readTimer)
}

/** Each card's revealed vote total (empty while votes are hidden). */
export function useVoteTotals(doc: Y.Doc): Map<string, number> {
  const subscribe = useMemo(() => observeDeep(doc.getMap(VOTES)), [doc])
  return useDerived(doc.getMap(VOTES), subscribe, () => voteTotals(doc))
}

export function useMeta(doc: Y.Doc): BoardMeta {
  return useFromMeta(doc, readMeta)
}

export interface LaneLayout {
  /** Card ids per lane, in order. */
  lanes: Map<string, string[]>
  deleted: string[]
  numbers: Map<string, number>
}

/** Which cards are in which lane, in which order: re-read when cards are added, moved or (un)deleted. */
export function useLaneLayout(doc: Y.Doc): LaneLayout {
  const subscribe = useMemo(() => onCardKeys(doc, ['lane', 'order', 'deletedAt', 'number']), [doc])
  return useDerived(cardsOf(doc), subscribe, () => {
    const lanes = new Map<string, string[]>()
    const deleted: string[] = []
    // Places only, not the cards' texts: re-read on every move, also on boards of 1,000 cards.
    for (const card of cardPlaces(doc)) {
      if (card.deletedAt !== null) deleted.push(card.id)
      else {
        const ids = lanes.get(card.lane)
        if (ids) ids.push(card.id)
        else lanes.set(card.lane, [card.id])
      }
    }
    return { lanes, deleted, numbers: cardNumbers(doc) }
  })
}

/** Per card, the selection criteria it meets; re-read when cards come or go or a criterion is ticked. */
export function useCriteriaMet(doc: Y.Doc): ReadonlyMap<string, readonly string[]> {
  const subscribe = useMemo(() => onCardKeys(doc, [CardKey.criteria]), [doc])
  return useDerived(cardsOf(doc), subscribe, () => criteriaByCard(doc))
}

/**
 * A subscription to one card: fires whenever anything in it changes, at once for this user's changes,
 * and for other people's gathered with every other card's into a few renders a second (remoteRenders.ts).
 */
function useCardChanges(doc: Y.Doc, id: string) {
  return useMemo(() => {
    return (onChange: () => void) => {
      const card = cardsOf(doc).get(id) as Y.Map<unknown> | undefined
      if (!card || typeof card.observeDeep !== 'function') return () => {}
      const handler = (_events: unknown, transaction: Y.Transaction) => {
        if (transaction.local) onChange()
        else afterRemoteChange(onChange)
      }
      card.observeDeep(handler)
      return () => {
        card.unobserveDeep(handler)
        cancelRemoteChange(onChange)
      }
    }
  }, [doc, id])
}

/**
 * A reading of one card (`read`: the whole card or its face), re-read when the card changes; the same
 * reading keeps the same value, so a change it does not show renders nothing.
 */
function useCardReading<T extends CardView | CardFaceView>(
  doc: Y.Doc,
  id: string,
  number: number,
  read: (doc: Y.Doc, id: string, number: number) => T | undefined,
): T | undefined {
  const subscribe = useCardChanges(doc, id)
  const view = useDerived(cardsOf(doc), subscribe, () => read(doc, id, number), sameReading)
  return view && view.number !== number ? { ...view, number } : view
}

/** One card, every field of it (the detail editor, the spotlight's details), re-read when it changes. */
export function useCard(doc: Y.Doc, id: string, number: number): CardView | undefined {
  return useCardReading(doc, id, number, cardView)
}

/**
 * What a card's face shows (model/read.ts, `cardFaceView`), re-read when the card changes: a change
 * the face does not show (another field typed in, the card moved on the canvas) renders nothing.
 */
export function useCardFace(doc: Y.Doc, id: string, number: number): CardFaceView | undefined {
  return useCardReading(doc, id, number, cardFaceView)
}

/** Whether observers' exports name who moved a card (the facilitator's choice; model/privacy.ts). */
export function useObserverExportNames(doc: Y.Doc): boolean {
  return useFromMeta(doc, readObserverExportNames)
}

/** Card readings are plain data (model/read.ts): the same when they serialise alike. */
function sameReading<T extends CardView | CardFaceView>(a: T | undefined, b: T | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}
