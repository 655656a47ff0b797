/** Seconds of traffic at the full rate that a connection may send at once. */
export const BURST_SECONDS = 2

export interface RateLimits {
  /** Messages per second per connection; 0: no limit. */
  messagesPerSecond: number
  /** Bytes per second per connection (messages received plus answers they asked for); 0: no limit. */
  bytesPerSecond: number
}

/**
 * A token bucket: `rate` tokens per second, holding at most `rate × BURST_SECONDS`. Spending may go
 * into debt, so that a single message larger than the bucket still passes (once the bucket is full);
 * the connection then waits until the debt is paid.
 */
class TokenBucket {
  private tokens: number
  private last: number

  constructor(
    private readonly rate: number,
    private readonly now: () => number,
  ) {
    this.tokens = rate * BURST_SECONDS
    this.last = now()
  }

  get level(): number {
    const now = this.now()
    this.tokens = Math.min(this.rate * BURST_SECONDS, this.tokens + ((now - this.last) / 1000) * this.rate)
    this.last = now
    return this.tokens
  }

  spend(amount: number): void {
    this.tokens = this.level - amount
  }

  /** Milliseconds until the level reaches `level`. */
  msUntil(level: number): number {
    return Math.max(0, ((level - this.level) / this.rate) * 1000)
  }
}

export interface ThrottleHooks<T> {
  /** Stop reading from the socket: TCP then pushes back on the sender. */
  pause(): void
  resume(): void
  deliver(message: T): void
  size(message: T): number
}

/**
 * Meters one connection's incoming messages against two token buckets (messages and bytes). Within
 * the limits a message is delivered at once. Over them, messages are kept in order and the socket is
 * paused until the buckets have refilled: a flooding sender is slowed down to the limits, nothing it
 * sent is dropped, and what it costs the server per second is bounded.
 */
export class Throttle<T> {
  private readonly messages: TokenBucket | null
  private readonly bytes: TokenBucket | null
  private readonly queue: T[] = []
  private timer: NodeJS.Timeout | null = null
  private paused = false
  private closed = false

  constructor(
    limits: RateLimits,
    private readonly hooks: ThrottleHooks<T>,
    now: () => number = () => performance.now(),
  ) {
    this.messages = limits.messagesPerSecond > 0 ? new TokenBucket(limits.messagesPerSecond, now) : null
    this.bytes = limits.bytesPerSecond > 0 ? new TokenBucket(limits.bytesPerSecond, now) : null
  }

  push(message: T): void {
    if (this.closed) return
    this.queue.push(message)
    if (!this.timer) this.pump()
  }

  /** Counts bytes the connection caused the server to send (an answer it asked for) against its limit. */
  charge(bytes: number): void {
    this.bytes?.spend(bytes)
  }

  close(): void {
    this.closed = true
    this.queue.length = 0
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.closed) {
      const wait = Math.max(this.messages?.msUntil(1) ?? 0, this.bytes?.msUntil(Number.MIN_VALUE) ?? 0)
      if (wait > 0) {
        if (!this.paused) {
          this.paused = true
          this.hooks.pause()
        }
        this.timer = setTimeout(() => {
          this.timer = null
          this.pump()
        }, Math.ceil(wait))
        return
      }
      const message = this.queue.shift() as T
      this.messages?.spend(1)
      this.bytes?.spend(this.hooks.size(message))
      this.hooks.deliver(message)
    }
    if (this.paused && !this.closed) {
      this.paused = false
      this.hooks.resume()
    }
  }
}
