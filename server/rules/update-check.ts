import * as decoding from 'lib0/decoding'
import { ProtocolError } from '../realtime/protocol.js'

/**
 * What a Yjs update (v1 encoding, as y-websocket sends) touches, read without building any Yjs object:
 * which clock ranges it adds per client, which items it refers to, and which it deletes.
 */
export interface UpdateShape {
  /** Per client: the clock ranges [from, to) its structs cover, in order (more than one only around a skip). */
  structs: Map<number, [number, number][]>
  /** Per client: one past the highest clock an item of the update refers to (origin, right origin, parent). */
  refs: Map<number, number>
  /** Per client: one past the highest clock a deletion of the update reaches. */
  deletes: Map<number, number>
}

const MAX_CLOCK = Number.MAX_SAFE_INTEGER

/**
 * Reads an update strictly, the way Yjs would decode it, but in one linear pass that allocates nothing
 * per struct. It is refused (ProtocolError) when it is malformed, when a clock or length is beyond what
 * JavaScript numbers hold exactly, when a struct is empty, when one client's structs come in two groups,
 * and when it carries a subdocument (Werkbord boards have none, and each one would cost a whole Y.Doc on
 * the server and every client). Applying an update to a scratch document instead is not bounded: an
 * update of a few hundred kilobytes with many clients that each start after a gap takes minutes there.
 */
export function inspectUpdate(update: Uint8Array): UpdateShape {
  try {
    return readShape(decoding.createDecoder(update))
  } catch (error) {
    if (error instanceof ProtocolError) throw error
    throw new ProtocolError('corrupt Yjs update')
  }
}

/**
 * Why the update cannot be applied to a document whose state (next expected clock per client) is
 * `stateOf`, or null when it can: structs that start after a gap, items that refer to unknown items, and
 * deletions of unknown items would all be kept by Yjs as "pending" until the missing part arrives — for
 * ever, when it never does — so they are not accepted.
 */
export function missingDependency(shape: UpdateShape, stateOf: (client: number) => number): string | null {
  const known = new Map<number, number>()
  for (const [client, ranges] of shape.structs) {
    let next = stateOf(client)
    for (const [from, to] of ranges) {
      if (from > next) return 'clock gap'
      if (to > next) next = to
    }
    known.set(client, next)
  }
  const have = (client: number) => known.get(client) ?? stateOf(client)
  for (const [client, end] of shape.refs) if (end > have(client)) return 'reference to an unknown item'
  for (const [client, end] of shape.deletes) if (end > have(client)) return 'deletion of unknown items'
  return null
}

/** One past the last clock per client that the update adds, for tracking updates not yet applied. */
export function updateEnds(shape: UpdateShape): Map<number, number> {
  const ends = new Map<number, number>()
  for (const [client, ranges] of shape.structs) {
    const last = ranges[ranges.length - 1]
    if (last) ends.set(client, last[1])
  }
  return ends
}

function readShape(decoder: decoding.Decoder): UpdateShape {
  const shape: UpdateShape = { structs: new Map(), refs: new Map(), deletes: new Map() }
  let author = 0
  let at = 0
  // An item can only refer to items that existed when it was made: of its own client, earlier ones.
  const refer = (client: number, clock: number) => {
    if (client === author ? clock >= at : clock >= MAX_CLOCK) throw new ProtocolError('corrupt Yjs update')
    if (clock + 1 > (shape.refs.get(client) ?? 0)) shape.refs.set(client, clock + 1)
  }
  const clients = decoding.readVarUint(decoder)
  for (let i = 0; i < clients; i++) {
    const count = decoding.readVarUint(decoder)
    const client = decoding.readVarUint(decoder)
    let clock = decoding.readVarUint(decoder)
    if (shape.structs.has(client)) throw new ProtocolError('corrupt Yjs update')
    const ranges: [number, number][] = []
    shape.structs.set(client, ranges)
    for (let j = 0; j < count; j++) {
      const info = readByte(decoder)
      author = client
      at = clock
      let length: number
      if (info === 10) {
        length = decoding.readVarUint(decoder) // skip: a range this update does not carry
      } else if ((info & 0b11111) === 0) {
        length = decoding.readVarUint(decoder) // GC
      } else {
        if (info & 0b10000000) refer(decoding.readVarUint(decoder), decoding.readVarUint(decoder)) // origin
        if (info & 0b01000000) refer(decoding.readVarUint(decoder), decoding.readVarUint(decoder)) // right origin
        if ((info & 0b11000000) === 0) {
          if (decoding.readVarUint(decoder) === 1)
            decoding.readVarString(decoder) // parent: a root type
          else refer(decoding.readVarUint(decoder), decoding.readVarUint(decoder)) // parent: an item
          if (info & 0b00100000) decoding.readVarString(decoder) // key in a map
        }
        length = readContent(decoder, info & 0b11111)
      }
      if (length < 1 || clock + length > MAX_CLOCK) throw new ProtocolError('corrupt Yjs update')
      if (info !== 10) {
        const last = ranges[ranges.length - 1]
        if (last && last[1] === clock) last[1] = clock + length
        else ranges.push([clock, clock + length])
      }
      clock += length
    }
  }
  const deleting = decoding.readVarUint(decoder)
  for (let i = 0; i < deleting; i++) {
    const client = decoding.readVarUint(decoder)
    const ranges = decoding.readVarUint(decoder)
    for (let j = 0; j < ranges; j++) {
      const clock = decoding.readVarUint(decoder)
      const end = clock + decoding.readVarUint(decoder)
      if (end > MAX_CLOCK) throw new ProtocolError('corrupt Yjs update')
      if (end > (shape.deletes.get(client) ?? 0)) shape.deletes.set(client, end)
    }
  }
  if (decoding.hasContent(decoder)) throw new ProtocolError('corrupt Yjs update')
  return shape
}

/** Reads an item's content as Yjs's content readers do (v1), returning its length in clock ticks. */
function readContent(decoder: decoding.Decoder, ref: number): number {
  switch (ref) {
    case 1: // deleted
      return decoding.readVarUint(decoder)
    case 2: {
      // JSON (legacy)
      const count = decoding.readVarUint(decoder)
      for (let i = 0; i < count; i++) {
        const text = decoding.readVarString(decoder)
        if (text !== 'undefined') JSON.parse(text)
      }
      return count
    }
    case 3: // binary
      decoding.readVarUint8Array(decoder)
      return 1
    case 4: // string
      return decoding.readVarString(decoder).length
    case 5: // embed
      JSON.parse(decoding.readVarString(decoder))
      return 1
    case 6: // format
      decoding.readVarString(decoder)
      JSON.parse(decoding.readVarString(decoder))
      return 1
    case 7: {
      // type: array, map, text, xml element (named), xml fragment, xml hook (named), xml text
      const typeRef = decoding.readVarUint(decoder)
      if (typeRef > 6) throw new ProtocolError('corrupt Yjs update')
      if (typeRef === 3 || typeRef === 5) decoding.readVarString(decoder)
      return 1
    }
    case 8: {
      // any
      const count = decoding.readVarUint(decoder)
      for (let i = 0; i < count; i++) decoding.readAny(decoder)
      return count
    }
    case 9:
      throw new ProtocolError('subdocuments are not supported')
    default:
      throw new ProtocolError('corrupt Yjs update')
  }
}

/** lib0's readUint8 returns undefined past the end instead of throwing. */
function readByte(decoder: decoding.Decoder): number {
  if (decoder.pos >= decoder.arr.length) throw new ProtocolError('corrupt Yjs update')
  return decoding.readUint8(decoder)
}
