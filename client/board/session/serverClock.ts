/**
 * The difference between the server's clock and this browser's, measured once per session over a few
 * round trips (the one with the shortest round trip wins): serverNow() = Date.now() + offset.
 */
let offset = 0
let measured: Promise<void> | null = null

export function measureServerClock(): Promise<void> {
  measured ??= (async () => {
    let best = Number.POSITIVE_INFINITY
    for (let i = 0; i < 3; i++) {
      try {
        const sent = Date.now()
        const res = await fetch('/api/time', { cache: 'no-store' })
        const { now } = (await res.json()) as { now: number }
        const received = Date.now()
        if (received - sent < best) {
          best = received - sent
          offset = now - (sent + received) / 2
        }
      } catch {
        return // offline: keep this browser's clock
      }
    }
  })()
  return measured
}

/** Server time minus this browser's time, in ms (0 until measured, or when offline). */
export function serverClockOffset(): number {
  return offset
}

export function serverNow(): number {
  return Date.now() + offset
}
