import * as encoding from 'lib0/encoding'
import type * as Y from 'yjs'

/** One key of a map to set to a plain value, placed the way Yjs places a `map.set`. */
export interface KeyWrite {
  /** The key's current value (its last clock), which the write replaces; null when the key has none. */
  origin: Y.ID | null
  /** The map's own item (the card's entry in `cards`): needed only when there is no origin. */
  parent: Y.ID
  key: string
  value: unknown
}

/**
 * A Yjs update (v1) that sets map keys, written as client `client` from clock `clock` on: what
 * `map.set(key, value)` on a replica of the board would send, without a replica. Each write is one item
 * whose left neighbour is the key's current value, so Yjs makes it the new value and deletes the old
 * one on every replica. Hand-encoded because the server holds only the board itself, which must not
 * change before the update is stored (durable before visible); cloning the board for each write costs
 * more than the whole rules check (bench/attribution.ts).
 */
export function keyWritesUpdate(client: number, clock: number, writes: readonly KeyWrite[]): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 1) // one client
  encoding.writeVarUint(e, writes.length)
  encoding.writeVarUint(e, client)
  encoding.writeVarUint(e, clock)
  for (const { origin, parent, key, value } of writes) {
    const ANY = 8
    const HAS_ORIGIN = 0b10000000
    const HAS_PARENT_SUB = 0b00100000
    if (origin) {
      encoding.writeUint8(e, ANY | HAS_ORIGIN | HAS_PARENT_SUB) // parent and key come from the origin
      encoding.writeVarUint(e, origin.client)
      encoding.writeVarUint(e, origin.clock)
    } else {
      encoding.writeUint8(e, ANY | HAS_PARENT_SUB)
      encoding.writeVarUint(e, 0) // parent: an item (not a root type)
      encoding.writeVarUint(e, parent.client)
      encoding.writeVarUint(e, parent.clock)
      encoding.writeVarString(e, key)
    }
    encoding.writeVarUint(e, 1) // one value
    encoding.writeAny(e, value as never)
  }
  encoding.writeVarUint(e, 0) // no delete set: Yjs deletes each replaced value itself
  return encoding.toUint8Array(e)
}
