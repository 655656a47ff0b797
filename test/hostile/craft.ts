import * as encoding from 'lib0/encoding'
import { syncMessage } from '../../server/protocol.js'

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
  if ('gc' in struct) {
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
