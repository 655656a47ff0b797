import { randomBytes } from 'node:crypto'
import { type Bus, frame, unframe } from './bus.js'

/**
 * A bus inside one process: a hub that several instances (buses) join. Delivery is asynchronous and
 * in publication order, like a network bus. `interrupt` loses what is in flight and tells everyone to
 * resume, as a restarted bus would.
 */
export class LocalHub {
  private readonly buses = new Set<LocalBus>()
  private queue: { channel: string; framed: Uint8Array }[] = []
  private scheduled = false

  connect(): LocalBus {
    const bus = new LocalBus(this)
    this.buses.add(bus)
    return bus
  }

  /** Drops every message not yet delivered, then tells every bus to resume. */
  interrupt(): void {
    this.queue = []
    for (const bus of this.buses) bus.resume()
  }

  /** @internal */
  send(channel: string, framed: Uint8Array): void {
    this.queue.push({ channel, framed })
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      const batch = this.queue
      this.queue = []
      for (const { channel, framed } of batch) for (const bus of this.buses) bus.deliver(channel, framed)
    })
  }

  /** @internal */
  leave(bus: LocalBus): void {
    this.buses.delete(bus)
  }
}

export class LocalBus implements Bus {
  private readonly id = randomBytes(8)
  private readonly listeners = new Map<string, Set<(message: Uint8Array) => void>>()
  private readonly resumers: (() => void)[] = []

  constructor(private readonly hub: LocalHub) {}

  async subscribe(channel: string, listener: (message: Uint8Array) => void): Promise<() => void> {
    let set = this.listeners.get(channel)
    if (!set) {
      set = new Set()
      this.listeners.set(channel, set)
    }
    set.add(listener)
    return () => {
      set.delete(listener)
      if (set.size === 0 && this.listeners.get(channel) === set) this.listeners.delete(channel)
    }
  }

  publish(channel: string, message: Uint8Array): void {
    this.hub.send(channel, frame(this.id, message))
  }

  onResume(listener: () => void): void {
    this.resumers.push(listener)
  }

  async ping(): Promise<boolean> {
    return true
  }

  async close(): Promise<void> {
    this.hub.leave(this)
    this.listeners.clear()
  }

  /** @internal */
  deliver(channel: string, framed: Uint8Array): void {
    const set = this.listeners.get(channel)
    if (!set) return
    const message = unframe(this.id, framed)
    if (!message) return
    for (const listener of set) listener(message.slice())
  }

  /** @internal */
  resume(): void {
    for (const listener of this.resumers) listener()
  }
}
