import * as Y from 'yjs'
import { CardKey, cardsOf } from '../../model/layout.js'

/**
 * Card numbers across instances ([CL7]). One instance numbers the cards it stores against the board as
 * it holds it (server/realtime/attribution.ts), so it never gives a number twice. Two instances can: a card
 * stored through A and one stored through B in the same few milliseconds, before either has heard of
 * the other, may both keep the number their clients chose. Every instance then sees the same two cards
 * with one number, and settles it the same way: the card with the smallest id keeps the number (a card
 * older than the watch always keeps it), every other card gives it up, renumbered by the instance that stored it (or, when that one is
 * silent, by any instance after a wait). Meanwhile an instance holds back what it relays, so that its
 * clients never see a card without its number or with another card's number, as on one instance.
 */

/** A card created in the last moments, as this instance saw it arrive. */
export interface YoungCard {
  /** Stored through this instance (its client sent it here), rather than heard from another. */
  own: boolean
  /** When this instance first saw it (its clock, ms). */
  at: number
}

/** How long a new card is watched for a number it shares with a card stored elsewhere. */
export const YOUNG_CARD_MS = 60_000

export interface NumberConflicts {
  /** Young cards without a number of their own yet: no number, or one another card holds too. */
  unsettled: string[]
  /** Young cards that must give up their number, each with the number they hold now. */
  yielding: { id: string; number: number }[]
}

/** The young cards whose number is not settled, and which of them must give theirs up. */
export function numberConflicts(doc: Y.Doc, young: ReadonlyMap<string, YoungCard>): NumberConflicts {
  const conflicts: NumberConflicts = { unsettled: [], yielding: [] }
  if (young.size === 0) return conflicts
  const cards = cardsOf(doc)
  // Every card counts, soft-deleted ones too: a restored card must not come back with a twin.
  const holders = new Map<number, string[]>()
  for (const [id, card] of cards.entries()) {
    if (!(card instanceof Y.Map)) continue
    const n = card.get(CardKey.number)
    if (!isCardNumber(n)) continue
    const ids = holders.get(n)
    if (ids) ids.push(id)
    else holders.set(n, [id])
  }
  for (const id of young.keys()) {
    const card = cards.get(id)
    if (!(card instanceof Y.Map)) continue
    const n = card.get(CardKey.number)
    if (!isCardNumber(n)) {
      conflicts.unsettled.push(id)
      continue
    }
    const ids = holders.get(n) as string[]
    if (ids.length < 2) continue
    conflicts.unsettled.push(id)
    // A card older than the watch keeps its number: only cards stored at the same time can clash.
    if (ids.some((other) => !young.has(other))) conflicts.yielding.push({ id, number: n })
    else if (ids.some((other) => other < id)) conflicts.yielding.push({ id, number: n })
  }
  return conflicts
}

function isCardNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0
}
