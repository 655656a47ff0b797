import { afterEach, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { exportBoard } from '../../model/export.js'
import { listCards } from '../../model/read.js'
import { connectClient, type TestClient } from '../helpers/clients.js'
import { random, randomOp } from '../helpers/random-ops.js'
import { createBoard, startServer } from '../helpers/server.js'
import { untilDoc } from '../helpers/wait.js'
import { reaches, unionStateVector, untilAgreed } from './fleet.js'

/**
 * Randomized convergence of the board model through the real server, in the style of Yjs's own tests
 * (and of test/model/convergence.test.ts, which does it in memory): five stock clients make seeded
 * random model operations, interleaved with the network at random, and go offline and online at
 * random; in the end every document — and a newcomer's — is equal.
 */
const CLIENTS = 5
const STEPS = 400

const cleanup: (() => unknown)[] = []
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn()
})

/** Lets the event loop run `turns` times, so that messages of the network interleave with the edits. */
async function yieldTurns(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve))
}

describe('randomized convergence through the server', () => {
  for (const seed of [7, 2026, 31337]) {
    it(`[C3] ${CLIENTS} clients, ${STEPS} random operations with random disconnects end equal (seed ${seed})`, async () => {
      const rnd = random(seed)
      const app = await startServer()
      cleanup.push(() => app.close())
      const board = await createBoard(app.url, 'pact-westfriesland-7.1')
      const clients: TestClient[] = []
      for (let i = 0; i < CLIENTS; i++) {
        const c = connectClient(app.url, board.id, board.tokens.facilitator)
        cleanup.push(() => c.destroy())
        clients.push(c)
      }
      await Promise.all(clients.map((c) => c.synced))
      for (let step = 0; step < STEPS; step++) {
        const c = rnd.pick(clients)
        if (rnd.next() < 0.04) {
          if (c.provider.shouldConnect) c.provider.disconnect()
          else c.provider.connect()
        }
        randomOp(c.doc, rnd)
        await yieldTurns(rnd.int(4))
      }
      for (const c of clients) c.provider.connect()
      const docs = clients.map((c) => c.doc)
      const target = unionStateVector(docs)
      await Promise.all(docs.map((doc) => untilDoc(doc, () => reaches(doc, target), 15_000, 'convergence')))

      const newcomer = connectClient(app.url, board.id, board.tokens.observer)
      cleanup.push(() => newcomer.destroy())
      await newcomer.synced
      await untilDoc(newcomer.doc, () => reaches(newcomer.doc, target), 15_000, 'the newcomer')
      await untilAgreed([...docs, newcomer.doc], 15_000, 'the server’s attribution on every document')
      const exportedAt = new Date(0)
      const expected = exportBoard(docs[0] as Y.Doc, { lane: 'all', exportedAt })
      expect(expected.cards.length).toBeGreaterThan(5)
      for (const doc of [...docs, newcomer.doc]) {
        expect(exportBoard(doc, { lane: 'all', exportedAt })).toEqual(expected)
        expect(listCards(doc, { includeDeleted: true })).toEqual(
          listCards(docs[0] as Y.Doc, { includeDeleted: true }),
        )
      }
    })
  }
})
