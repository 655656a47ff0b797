import * as Y from 'yjs'
import { CardKey, cardsOf, MetaKey, metaOf } from '../../model/layout.js'
import { type KeyWrite, keyWritesUpdate } from './stamp-update.js'

/**
 * Attribution is the server's word, not the client's (docs/board-schema.md, "Written by the server"):
 *
 * - **who moved a card and when**: for every stored change that writes a card's `lane`, the server
 *   writes `movedAt` (its own clock) and `movedBy` (the name the mover's connection shows, cleaned:
 *   model/names.ts, or null);
 * - **card numbers**: a new card keeps the `number` it brings when that is a positive whole number no
 *   other card holds; otherwise the server gives it the next free one;
 * - **creation time**: a new card's `createdAt` must lie between the board's creation and now (10
 *   minutes of clock difference allowed); otherwise the server writes its own clock.
 *
 * Participants may not write these keys at all (`card.attribution`, server/rules/update-scope.ts), except
 * `number` and `createdAt` of a card they create. The server's writes are made after the change is
 * applied, from what Yjs actually did (the transaction's changed keys), and are stored like any other
 * update before anyone sees them; offline clients need nothing new: their moves and cards are
 * attributed when they arrive.
 */
export const CLOCK_SKEW_MS = 10 * 60_000

/** What an applied change did that the server must attribute. */
export interface Attributable {
  /** Ids of cards created (or replaced) by the change. */
  created: Set<string>
  /** Ids of existing cards whose lane the change wrote. */
  moved: Set<string>
}

/** Runs `apply` (one Yjs transaction on `doc`) and reports which cards it created or moved. */
export function observeCards(doc: Y.Doc, apply: () => void): Attributable {
  const found: Attributable = { created: new Set(), moved: new Set() }
  const cards = cardsOf(doc)
  const listener = (tr: Y.Transaction) => {
    for (const [type, keys] of tr.changed) {
      if ((type as unknown) === cards) {
        for (const key of keys) {
          if (key === null) continue
          const item = cards._map.get(key)
          if (item && !item.deleted && item.content instanceof Y.ContentType) {
            if (item.id.clock >= (tr.beforeState.get(item.id.client) ?? 0)) found.created.add(key)
          }
        }
      } else if (keys.has(CardKey.lane) && type._item && type._item.parent === cards) {
        // Yjs reports changed keys of types that existed before the transaction only.
        const id = type._item.parentSub
        if (id !== null && !type._item.deleted && cards._map.get(id) === type._item) found.moved.add(id)
      }
    }
  }
  doc.on('afterTransaction', listener)
  try {
    apply()
  } finally {
    doc.off('afterTransaction', listener)
  }
  return found
}

/**
 * The server's writes for what a change did, or null when nothing needs writing. `young`: in a cluster,
 * the cards created lately (cluster/card-numbers.ts), among which the smallest id keeps a number. `writer`: the client
 * id the server writes as, from clock `clock`; `pendingWrites` holds the server's own writes not
 * applied yet (key "cardId\0key" → item id, and the numbers they give), so that consecutive writes
 * of one key follow each other; it is updated here.
 */
export function attribution(
  doc: Y.Doc,
  changed: Attributable,
  mover: string | null,
  now: number,
  writer: { client: number; clock: number },
  pending: PendingWrites,
  young?: ReadonlyMap<string, unknown>,
): Uint8Array | null {
  if (changed.created.size === 0 && changed.moved.size === 0) return null
  const cards = cardsOf(doc)
  const writes: (KeyWrite & { card: string })[] = []
  const write = (card: string, map: Y.Map<unknown>, key: string, value: unknown) => {
    const current = map._map.get(key)
    const origin =
      pending.items.get(`${card}\u0000${key}`) ??
      (current ? Y.createID(current.id.client, current.id.clock + current.length - 1) : null)
    writes.push({ card, origin, parent: (map._item as Y.Item).id, key, value })
  }
  if (changed.created.size > 0) {
    const boardCreated = metaOf(doc).get(MetaKey.createdAt)
    const earliest = (typeof boardCreated === 'number' ? boardCreated : 0) - CLOCK_SKEW_MS
    // Numbers held by every other card, and given by writes still being stored.
    const taken = new Map<number, number>(pending.numbers)
    const holders = new Map<number, string[]>()
    for (const [id, value] of cards.entries()) {
      if (changed.created.has(id) || !(value instanceof Y.Map)) continue
      const n = value.get(CardKey.number)
      if (!isCardNumber(n)) continue
      taken.set(n, (taken.get(n) ?? 0) + 1)
      holders.set(n, [...(holders.get(n) ?? []), id])
    }
    // Between instances, of cards stored at the same time the smallest id keeps a number, whichever
    // arrived first (cluster/card-numbers.ts): the others give it up where they were stored.
    const keeps = (id: string, n: number) =>
      young?.has(id) === true &&
      !pending.numbers.has(n) &&
      (holders.get(n) ?? []).every((holder) => young.has(holder) && holder > id)
    let next = Math.max(0, ...taken.keys()) + 1
    for (const id of changed.created) {
      const card = cards.get(id)
      if (!(card instanceof Y.Map)) continue
      const n = card.get(CardKey.number)
      if (isCardNumber(n) && (!taken.has(n) || keeps(id, n))) {
        taken.set(n, 1)
        next = Math.max(next, n + 1)
      } else {
        while (taken.has(next)) next++
        write(id, card, CardKey.number, next)
        taken.set(next, 1)
        pending.numbers.set(next, 1)
      }
      const at = card.get(CardKey.createdAt)
      if (typeof at !== 'number' || !Number.isFinite(at) || at < earliest || at > now + CLOCK_SKEW_MS) {
        write(id, card, CardKey.createdAt, now)
      }
    }
  }
  for (const id of changed.moved) {
    const card = cards.get(id)
    if (!(card instanceof Y.Map)) continue
    write(id, card, CardKey.movedAt, now)
    write(id, card, CardKey.movedBy, mover)
  }
  if (writes.length === 0) return null
  writes.forEach(({ card, key }, i) => {
    pending.items.set(`${card}\u0000${key}`, Y.createID(writer.client, writer.clock + i))
  })
  return keyWritesUpdate(writer.client, writer.clock, writes)
}

/** The server's own writes accepted but not applied yet. Cleared when the room has nothing pending. */
export interface PendingWrites {
  items: Map<string, Y.ID>
  numbers: Map<number, number>
}

function isCardNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0
}
