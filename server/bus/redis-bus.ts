import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { type Bus, frame, unframe } from './bus.js'

/**
 * The bus over Redis pub/sub: one connection publishes, one subscribes (a subscribed Redis connection
 * can do nothing else). Redis keeps none of it: a message published while an instance is cut off is
 * lost for that instance, and it is told to resume (catch up from the store) once it is back. A
 * publish while Redis is unreachable is dropped at once rather than queued.
 */
export class RedisBus implements Bus {
  private readonly id = randomBytes(8)
  private readonly listeners = new Map<string, Set<(message: Uint8Array) => void>>()
  /** Per channel, the SUBSCRIBE in progress or done: later subscribers wait for it as well. */
  private readonly subscribed = new Map<string, Promise<unknown>>()
  private readonly resumers: (() => void)[] = []
  private closed = false

  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    onError: (error: Error) => void,
  ) {
    for (const connection of [pub, sub]) connection.on('error', onError)
    sub.on('messageBuffer', (channel: Buffer, framed: Buffer) => {
      const set = this.listeners.get(channel.toString())
      if (!set) return
      const message = unframe(this.id, framed)
      if (message) for (const listener of set) listener(new Uint8Array(message))
    })
    // Once either connection was lost, messages may have been missed: the instance is told to resume
    // when both are ready again (publishing right after resuming must not meet a connection still down).
    let lost = false
    for (const connection of [pub, sub]) {
      connection.on('close', () => {
        lost = true
      })
      connection.on('ready', () => {
        if (!lost || this.closed || pub.status !== 'ready' || sub.status !== 'ready') return
        lost = false
        for (const listener of this.resumers) listener()
      })
    }
  }

  /** Connects both connections; rejects when Redis cannot be reached. */
  static async connect(url: string, onError: (error: Error) => void = () => {}): Promise<RedisBus> {
    const options = {
      lazyConnect: true,
      maxRetriesPerRequest: null,
      retryStrategy: (attempt: number) => Math.min(50 * attempt, 1000),
    }
    const pub = new Redis(url, { ...options, enableOfflineQueue: false })
    const sub = new Redis(url, options)
    try {
      await Promise.all([pub.connect(), sub.connect()])
    } catch (error) {
      pub.disconnect()
      sub.disconnect()
      throw error
    }
    return new RedisBus(pub, sub, onError)
  }

  async subscribe(channel: string, listener: (message: Uint8Array) => void): Promise<() => void> {
    let set = this.listeners.get(channel)
    if (!set) {
      set = new Set()
      this.listeners.set(channel, set)
      this.subscribed.set(channel, this.sub.subscribe(channel))
    }
    set.add(listener)
    await this.subscribed.get(channel)
    return () => {
      set.delete(listener)
      if (set.size > 0 || this.listeners.get(channel) !== set) return
      this.listeners.delete(channel)
      this.subscribed.delete(channel)
      if (!this.closed) this.sub.unsubscribe(channel).catch(() => {})
    }
  }

  publish(channel: string, message: Uint8Array): void {
    this.pub.publish(channel, Buffer.from(frame(this.id, message))).catch(() => {})
  }

  onResume(listener: () => void): void {
    this.resumers.push(listener)
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.pub.ping()) === 'PONG'
    } catch {
      return false
    }
  }

  async close(): Promise<void> {
    this.closed = true
    this.listeners.clear()
    this.pub.disconnect()
    this.sub.disconnect()
  }
}
