import * as encoding from 'lib0/encoding'
import { syncMessage } from '../../server/realtime/protocol.js'

/**
 * Hand-made Yjs updates (v1 encoding), well-formed on the wire but hostile in content. Built byte by
 * byte because Yjs itself never produces them.
 */
export type Struct =
  | { gc: number }
  | { skip: number }
  | { deleted: number; root?: string }
  | { text: string; root?: string; origin?: [number, number] }
  | { subdoc: string }
  | { any: number }
  | { declaredString: number }
  | { item: CraftedItem }

/**
 * Any item, as Yjs encodes it: placed by its neighbours (`origin`, `rightOrigin`) or, without them, by
 * its `parent` (a root type's name or a type's item) and `key` (in a map). Its content is plain values
 * (`any`: several values make one item of that length), a deleted run, or a new Y.Map / Y.Text.
 */
export interface CraftedItem {
  origin?: [number, number]
  rightOrigin?: [number, number]
  parent?: string | [number, number]
  key?: string
  any?: unknown[]
  deleted?: number
  type?: 'map' | 'text'
}

export interface ClientStructs {
  client: number
  clock: number
  structs: Struct[]
}

export function update(groups: ClientStructs[], deletes: [number, number, number][] = []): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, groups.length)
  for (const { client, clock, structs } of groups) {
    encoding.writeVarUint(e, structs.length)
    encoding.writeVarUint(e, client)
    encoding.writeVarUint(e, clock)
    for (const struct of structs) writeStruct(e, struct)
  }
  const byClient = new Map<number, [number, number][]>()
  for (const [client, clock, length] of deletes) {
    const ranges = byClient.get(client) ?? []
    ranges.push([clock, length])
    byClient.set(client, ranges)
  }
  encoding.writeVarUint(e, byClient.size)
  for (const [client, ranges] of byClient) {
    encoding.writeVarUint(e, client)
    encoding.writeVarUint(e, ranges.length)
    for (const [clock, length] of ranges) {
      encoding.writeVarUint(e, clock)
      encoding.writeVarUint(e, length)
    }
  }
  return encoding.toUint8Array(e)
}

function writeStruct(e: encoding.Encoder, struct: Struct): void {
  const root = (name = 'junk') => {
    encoding.writeVarUint(e, 1) // parent is a root type
    encoding.writeVarString(e, name)
  }
  if ('item' in struct) {
    writeItem(e, struct.item)
  } else if ('gc' in struct) {
    encoding.writeUint8(e, 0)
    encoding.writeVarUint(e, struct.gc)
  } else if ('skip' in struct) {
    encoding.writeUint8(e, 10)
    encoding.writeVarUint(e, struct.skip)
  } else if ('deleted' in struct) {
    encoding.writeUint8(e, 1)
    root(struct.root)
    encoding.writeVarUint(e, struct.deleted)
  } else if ('text' in struct) {
    encoding.writeUint8(e, 4 | (struct.origin ? 0x80 : 0))
    if (struct.origin) {
      encoding.writeVarUint(e, struct.origin[0])
      encoding.writeVarUint(e, struct.origin[1])
    } else root(struct.root)
    encoding.writeVarString(e, struct.text)
  } else if ('subdoc' in struct) {
    encoding.writeUint8(e, 9)
    root()
    encoding.writeVarString(e, struct.subdoc)
    encoding.writeAny(e, {})
  } else if ('any' in struct) {
    encoding.writeUint8(e, 8)
    root()
    encoding.writeVarUint(e, struct.any) // declared count, no values follow
  } else {
    encoding.writeUint8(e, 4)
    root()
    encoding.writeVarUint(e, struct.declaredString) // declared length, no bytes follow
  }
}

function writeItem(e: encoding.Encoder, item: CraftedItem): void {
  const ref = item.any ? 8 : item.deleted !== undefined ? 1 : 7
  const info =
    ref | (item.origin ? 0x80 : 0) | (item.rightOrigin ? 0x40 : 0) | (item.key !== undefined ? 0x20 : 0)
  encoding.writeUint8(e, info)
  if (item.origin) {
    encoding.writeVarUint(e, item.origin[0])
    encoding.writeVarUint(e, item.origin[1])
  }
  if (item.rightOrigin) {
    encoding.writeVarUint(e, item.rightOrigin[0])
    encoding.writeVarUint(e, item.rightOrigin[1])
  }
  if (!item.origin && !item.rightOrigin) {
    const parent = item.parent ?? 'junk'
    if (typeof parent === 'string') {
      encoding.writeVarUint(e, 1)
      encoding.writeVarString(e, parent)
    } else {
      encoding.writeVarUint(e, 0)
      encoding.writeVarUint(e, parent[0])
      encoding.writeVarUint(e, parent[1])
    }
    if (item.key !== undefined) encoding.writeVarString(e, item.key)
  }
  if (item.any) {
    encoding.writeVarUint(e, item.any.length)
    for (const value of item.any) encoding.writeAny(e, value as never)
  } else if (item.deleted !== undefined) encoding.writeVarUint(e, item.deleted)
  else encoding.writeVarUint(e, item.type === 'text' ? 2 : 1) // YText / YMap type ref
}

/** The length in clock ticks of a crafted struct. */
export function lengthOf(struct: Struct): number {
  if ('item' in struct) return struct.item.any?.length ?? struct.item.deleted ?? 1
  if ('text' in struct) return struct.text.length
  if ('gc' in struct) return struct.gc
  if ('skip' in struct) return struct.skip
  if ('deleted' in struct) return struct.deleted
  return 1
}

/** A sync step 1 whose state vector claims `clients` clients, each at `clock`. */
export function stateVector(clients: number, clock: number, firstClient = 7_000_000): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, clients)
  for (let i = 0; i < clients; i++) {
    encoding.writeVarUint(e, firstClient + i * 7919)
    encoding.writeVarUint(e, clock)
  }
  return encoding.toUint8Array(e)
}

export const asUpdate = (payload: Uint8Array): Uint8Array => syncMessage(2, payload)
export const asStep1 = (payload: Uint8Array): Uint8Array => syncMessage(0, payload)

/** A client id no honest client of these tests uses. */
let nextUnknown = 900_000_000
export const unknownClient = (): number => nextUnknown++
