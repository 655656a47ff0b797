/**
 * Limits per client address (client-address.ts): how many boards one address may create per hour, and
 * how many WebSocket connections it may hold at once. They stop one machine from wearing the server
 * down; they are set high enough for a venue whose participants all share one public address (NAT).
 */

const HOUR_MS = 3_600_000

/**
 * `perHour` actions per address: a bucket of `perHour`, refilled evenly over an hour. Full buckets are
 * forgotten, so the map holds only addresses that acted within the last hour.
 */
export class HourlyQuota {
  private readonly buckets = new Map<string, { level: number; at: number }>()

  constructor(
    private readonly perHour: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Counts one action of `address`: 0 when allowed, else the seconds until the next one is. */
  take(address: string): number {
    if (this.perHour === 0) return 0
    const now = this.now()
    if (this.buckets.size > 10_000) this.forgetFull(now)
    const bucket = this.buckets.get(address) ?? { level: this.perHour, at: now }
    bucket.level = Math.min(this.perHour, bucket.level + ((now - bucket.at) / HOUR_MS) * this.perHour)
    bucket.at = now
    this.buckets.set(address, bucket)
    if (bucket.level < 1) return Math.ceil((((1 - bucket.level) / this.perHour) * HOUR_MS) / 1000)
    bucket.level -= 1
    return 0
  }

  private forgetFull(now: number): void {
    for (const [address, bucket] of this.buckets) {
      if (bucket.level + ((now - bucket.at) / HOUR_MS) * this.perHour >= this.perHour) {
        this.buckets.delete(address)
      }
    }
  }
}

/** At most `max` open connections per address; 0: no limit. */
export class ConnectionCounts {
  private readonly open = new Map<string, number>()

  constructor(private readonly max: number) {}

  /** Counts a new connection of `address`; false (and not counted) when it already holds `max`. */
  acquire(address: string): boolean {
    const count = this.open.get(address) ?? 0
    if (this.max > 0 && count >= this.max) return false
    this.open.set(address, count + 1)
    return true
  }

  release(address: string): void {
    const count = (this.open.get(address) ?? 0) - 1
    if (count > 0) this.open.set(address, count)
    else this.open.delete(address)
  }
}
