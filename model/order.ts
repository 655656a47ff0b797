import { generateKeyBetween } from 'fractional-indexing'

/**
 * Order within a lane: each card holds a fractional-index string (`order`). Cards sort by
 * (order, id), so two cards that concurrently received the same key still sort the same way
 * everywhere, and a move writes only the moved card's key: concurrent moves cannot corrupt the order.
 */

export interface Ordered {
  id: string
  order: string
}

export function compareOrdered(a: Ordered, b: Ordered): number {
  if (a.order !== b.order) return a.order < b.order ? -1 : 1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** A key that sorts after every key in `sorted` (which must be sorted). */
export function keyAfterAll(sorted: readonly Ordered[]): string {
  return keyBetween(sorted.at(-1)?.order ?? null, null)
}

/**
 * Keys to give cards so that `moved` lands at `index` of `sorted` (which must not contain it).
 * Usually one key for the moved card; when its neighbours share a key (two concurrent inserts),
 * the following neighbour is re-keyed too, so the result always sorts as asked.
 */
export function keysForMove(
  sorted: readonly Ordered[],
  index: number,
): { key: string; rekey?: Ordered & { key: string } } {
  const at = Math.max(0, Math.min(index, sorted.length))
  const before = sorted[at - 1]
  const after = sorted[at]
  if (before && after && before.order >= after.order) {
    // Equal keys: give `after` a fresh key between `before` and the next distinct key, then go between.
    const next = sorted.slice(at + 1).find((card) => card.order > before.order)
    const afterKey = keyBetween(before.order, next?.order ?? null)
    return { key: keyBetween(before.order, afterKey), rekey: { ...after, key: afterKey } }
  }
  return { key: keyBetween(before?.order ?? null, after?.order ?? null) }
}

/** generateKeyBetween that tolerates keys written by other clients that are not valid fractional indexes. */
function keyBetween(a: string | null, b: string | null): string {
  try {
    return generateKeyBetween(a, b)
  } catch {
    try {
      return generateKeyBetween(a, null)
    } catch {
      return generateKeyBetween(null, null)
    }
  }
}
