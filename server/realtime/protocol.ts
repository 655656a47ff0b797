import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/**
 * The y-websocket wire format: each WebSocket message is one varUint message type followed by its body.
 * Sync bodies are y-protocols' sync messages; awareness bodies are y-protocols' awareness updates.
 */
export const MessageType = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const
export const SyncType = { step1: 0, step2: 1, update: 2 } as const

/**
 * Close codes sent to clients (documented in docs/api.md). The stock y-websocket client stops
 * reconnecting on 4400–4499 (a problem retrying will not fix) and retries on everything else.
 */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  tooLarge: 1009,
  serverError: 1011,
  badMessage: 4400,
  unauthorized: 4401,
  forbidden: 4403,
  boardFull: 4413,
  storageUnavailable: 4503,
  /** The board was deleted (by its facilitator, or by retention): drop every local copy of it. */
  boardDeleted: 4410,
} as const

/** A malformed or forbidden message: closes only the connection that sent it. */
export class ProtocolError extends Error {}

/** A well-formed update that the board's rules do not allow from its sender (role, phase). */
export class ForbiddenChange extends Error {}

export function syncMessage(syncType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.sync)
  encoding.writeVarUint(encoder, syncType)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}

export function awarenessMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.awareness)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

export type IncomingMessage =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  | { type: 'sync-update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'query-awareness' }

/** Parses one message strictly: unknown types, truncation and trailing bytes throw ProtocolError. */
export function parseMessage(data: Uint8Array): IncomingMessage {
  try {
    const decoder = decoding.createDecoder(data)
    const type = decoding.readVarUint(decoder)
    let message: IncomingMessage
    if (type === MessageType.sync) {
      const syncType = decoding.readVarUint(decoder)
      const payload = decoding.readVarUint8Array(decoder)
      if (syncType === SyncType.step1) message = { type: 'sync-step1', stateVector: payload }
      else if (syncType === SyncType.step2 || syncType === SyncType.update)
        message = { type: 'sync-update', update: payload }
      else throw new ProtocolError(`unknown sync message type ${syncType}`)
    } else if (type === MessageType.awareness) {
      message = { type: 'awareness', update: decoding.readVarUint8Array(decoder) }
    } else if (type === MessageType.queryAwareness) {
      message = { type: 'query-awareness' }
    } else {
      throw new ProtocolError(`unknown message type ${type}`)
    }
    if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes after message')
    return message
  } catch (error) {
    if (error instanceof ProtocolError) throw error
    throw new ProtocolError('truncated or malformed message')
  }
}

export interface AwarenessEntry {
  clientId: number
  clock: number
  /** The state as JSON text; "null" when the client left. */
  state: string
}

/**
 * Reads an awareness update into its entries, checking each state is JSON. States longer than
 * `maxState` characters are returned unparsed (the caller drops them): parsing megabytes of JSON only
 * to throw it away would cost more than the message.
 */
export function parseAwarenessUpdate(
  update: Uint8Array,
  maxState = Number.POSITIVE_INFINITY,
): AwarenessEntry[] {
  try {
    const decoder = decoding.createDecoder(update)
    const count = decoding.readVarUint(decoder)
    const entries: AwarenessEntry[] = []
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder)
      const clock = decoding.readVarUint(decoder)
      const state = decoding.readVarString(decoder)
      if (state.length > maxState) {
        entries.push({ clientId, clock, state })
        continue
      }
      const parsed: unknown = JSON.parse(state)
      if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) {
        throw new ProtocolError('awareness state must be an object or null')
      }
      entries.push({ clientId, clock, state })
    }
    if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes after awareness update')
    return entries
  } catch (error) {
    if (error instanceof ProtocolError) throw error
    throw new ProtocolError('malformed awareness update')
  }
}

export function encodeAwarenessUpdate(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId)
    encoding.writeVarUint(encoder, entry.clock)
    encoding.writeVarString(encoder, entry.state)
  }
  return encoding.toUint8Array(encoder)
}
