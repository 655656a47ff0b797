/**
 * The bus between instances: fan-out only. A message published on a channel reaches every other
 * instance subscribed to it, in the order its publisher sent it, never the publisher itself. The bus
 * holds nothing: a message may be lost (the bus restarted, the network dropped), and then every
 * subscriber is told through `onResume`, so it can read what it missed from the store.
 * Implementations: LocalBus (in one process), RedisBus. One contract suite (test/bus/contract.ts).
 */
export interface Bus {
  /** Subscribes; resolves once the bus will deliver the channel's messages. Returns the unsubscribe. */
  subscribe(channel: string, listener: (message: Uint8Array) => void): Promise<() => void>
  /** Sends a message to the other instances; never throws (a message the bus cannot take is lost). */
  publish(channel: string, message: Uint8Array): void
  /** Calls `listener` whenever messages may have been lost: the connection to the bus came back. */
  onResume(listener: () => void): void
  /** Whether the bus answers now. */
  ping(): Promise<boolean>
  close(): Promise<void>
}

/** Every message carries its publisher's id (8 bytes) in front, so a publisher skips its own. */
export const ID_BYTES = 8

export function frame(instanceId: Uint8Array, message: Uint8Array): Uint8Array {
  const framed = new Uint8Array(ID_BYTES + message.length)
  framed.set(instanceId, 0)
  framed.set(message, ID_BYTES)
  return framed
}

/** The message without its publisher id, or null when it is this instance's own (or malformed). */
export function unframe(instanceId: Uint8Array, framed: Uint8Array): Uint8Array | null {
  if (framed.length < ID_BYTES) return null
  let own = true
  for (let i = 0; i < ID_BYTES; i++) if (framed[i] !== instanceId[i]) own = false
  return own ? null : framed.subarray(ID_BYTES)
}
