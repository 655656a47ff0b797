import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Bus } from '../../server/bus/bus.js'

export interface BusFixture {
  /** Three instances' buses on one shared bus. */
  buses: [Bus, Bus, Bus]
  /** Breaks the bus and brings it back empty (what was in flight is lost). */
  interrupt(): Promise<void>
  close(): Promise<void>
}

/** Resolves with the first `count` messages `bus` receives on `channel`. */
function collect(bus: Bus, channel: string, count: number) {
  const got: Uint8Array[] = []
  let unsubscribe: () => void = () => {}
  const done = new Promise<Uint8Array[]>((resolve) => {
    void bus
      .subscribe(channel, (message) => {
        got.push(message)
        if (got.length === count) resolve(got)
      })
      .then((off) => {
        unsubscribe = off
      })
  })
  return { done, got, ready: () => bus.subscribe(channel, () => {}), unsubscribe: () => unsubscribe() }
}

/** The fan-out contract: every Bus implementation must pass these. */
export function busContract(name: string, open: () => Promise<BusFixture>) {
  describe(`bus contract: ${name}`, () => {
    let fx: BusFixture
    beforeEach(async () => {
      fx = await open()
    })
    afterEach(async () => {
      await fx.close()
    })

    it('[BU1] a message reaches every other subscribed instance byte for byte, never its publisher', async () => {
      const [a, b, c] = fx.buses
      const own: Uint8Array[] = []
      await a.subscribe('ch', (m) => own.push(m))
      const atB = collect(b, 'ch', 2)
      const atC = collect(c, 'ch', 2)
      await Promise.all([atB.ready(), atC.ready()])
      const big = Buffer.from(new Uint8Array(1 << 20).map((_, i) => i % 251))
      a.publish('ch', new Uint8Array([0, 0, 255, 0]))
      a.publish('ch', big)
      for (const got of [await atB.done, await atC.done]) {
        expect(got[0]).toEqual(new Uint8Array([0, 0, 255, 0]))
        expect(Buffer.from(got[1] as Uint8Array).equals(big)).toBe(true)
      }
      // Anything a sent to itself would have arrived before b's next message, which comes after it.
      const after = collect(a, 'ch', 1)
      await after.ready()
      b.publish('ch', new Uint8Array([7]))
      expect(await after.done).toEqual([new Uint8Array([7])])
      expect(own).toEqual([new Uint8Array([7])])
    })

    it('[BU2] messages of one publisher arrive in the order sent; other channels are not delivered', async () => {
      const [a, b] = fx.buses
      const atB = collect(b, 'one', 500)
      await atB.ready()
      const other: Uint8Array[] = []
      await b.subscribe('two-other', (m) => other.push(m))
      for (let i = 0; i < 500; i++) {
        a.publish('one', new Uint8Array([i >> 8, i & 255]))
        if (i % 100 === 0) a.publish('unsubscribed', new Uint8Array([1]))
      }
      const got = await atB.done
      expect(got.map((m) => ((m[0] as number) << 8) | (m[1] as number))).toEqual(
        Array.from({ length: 500 }, (_, i) => i),
      )
      expect(other).toEqual([])
    })

    it('[BU3] after unsubscribing, nothing more is delivered', async () => {
      const [a, b] = fx.buses
      const seen: number[] = []
      const off = await b.subscribe('ch', (m) => seen.push(m[0] as number))
      const marker = collect(b, 'ch', 1)
      await marker.ready()
      a.publish('ch', new Uint8Array([1]))
      await marker.done
      off()
      marker.unsubscribe()
      const other = collect(fx.buses[2], 'ch', 1)
      await other.ready()
      a.publish('ch', new Uint8Array([2]))
      await other.done
      expect(seen).toEqual([1])
    })

    it('[BU4] when the bus breaks and comes back, every instance is told to resume, and delivery goes on', async () => {
      const [a, b, c] = fx.buses
      const resumed = [a, b, c].map((bus) => new Promise<void>((resolve) => bus.onResume(resolve)))
      await b.subscribe('ch', () => {})
      await fx.interrupt()
      await Promise.all(resumed)
      expect(await b.ping()).toBe(true)
      const atB = collect(b, 'ch', 1)
      await atB.ready()
      a.publish('ch', new Uint8Array([3]))
      expect(await atB.done).toEqual([new Uint8Array([3])])
    })
  })
}
