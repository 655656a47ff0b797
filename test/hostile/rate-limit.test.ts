import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { BURST_SECONDS, Throttle } from '../../server/realtime/rate-limit.js'

/** The per-connection throttle on its own, on a fake clock. */
beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

function throttle(messagesPerSecond: number, bytesPerSecond: number) {
  const delivered: number[] = []
  const events: string[] = []
  const t = new Throttle<number>(
    { messagesPerSecond, bytesPerSecond },
    {
      pause: () => events.push('pause'),
      resume: () => events.push('resume'),
      deliver: (message) => delivered.push(message),
      size: (message) => message,
    },
    () => Date.now(),
  )
  return { t, delivered, events }
}

describe('rate limit', () => {
  it('[H25] a burst passes at once, the rest in order at the rate, with the socket paused meanwhile', () => {
    const { t, delivered, events } = throttle(100, 0)
    for (let i = 1; i <= 500; i++) t.push(i)
    expect(delivered.length).toBe(100 * BURST_SECONDS)
    expect(events).toEqual(['pause'])
    vi.advanceTimersByTime(1000)
    expect(delivered.length).toBeGreaterThanOrEqual(295)
    expect(delivered.length).toBeLessThanOrEqual(300)
    vi.advanceTimersByTime(2100)
    expect(delivered).toEqual(Array.from({ length: 500 }, (_, i) => i + 1)) // all of them, in order
    expect(events).toEqual(['pause', 'resume'])
    vi.advanceTimersByTime(2000) // idle: the bucket refills
    for (let i = 501; i <= 700; i++) t.push(i)
    expect(delivered.length).toBe(700)
    expect(events).toEqual(['pause', 'resume'])
  })

  it('[H26] bytes: a message larger than the bucket passes when it is full, then the debt is waited off', () => {
    const { t, delivered, events } = throttle(0, 1000)
    t.push(5000) // 2.5 × the bucket
    expect(delivered).toEqual([5000])
    t.push(1)
    expect(delivered).toEqual([5000])
    vi.advanceTimersByTime(2999)
    expect(delivered).toEqual([5000])
    vi.advanceTimersByTime(2)
    expect(delivered).toEqual([5000, 1])
    t.charge(3000) // an answer the connection asked for costs it too
    t.push(2)
    vi.advanceTimersByTime(2000)
    expect(delivered).toEqual([5000, 1])
    vi.advanceTimersByTime(1100)
    expect(delivered).toEqual([5000, 1, 2])
    expect(events).toEqual(['pause', 'resume', 'pause', 'resume'])
    t.close()
    t.push(3)
    expect(delivered).toEqual([5000, 1, 2])
  })
})
