import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { exportBoard } from '../../model/export.js'
import { listCards } from '../../model/read.js'
import { random, randomOp } from '../helpers/random-ops.js'
import { newBoard, replica } from './helpers.js'

describe('randomized convergence of the board model', () => {
  for (const seed of [1, 2, 3, 42, 2026]) {
    it(`5 replicas with random operations and disconnects end equal (seed ${seed})`, () => {
      const rnd = random(seed)
      const origin = newBoard()
      const docs = [origin, ...Array.from({ length: 4 }, () => replica(origin))]
      const online = docs.map(() => true)
      // Online replicas exchange each update at once; offline ones keep theirs until they reconnect.
      docs.forEach((doc, i) => {
        doc.on('update', (update: Uint8Array, from: unknown) => {
          if (from === 'sync' || !online[i]) return
          docs.forEach((other, j) => {
            if (j !== i && online[j]) Y.applyUpdate(other, update, 'sync')
          })
        })
      })
      const reconnect = (i: number) => {
        online[i] = true
        for (const [j, other] of docs.entries()) {
          if (j === i || !online[j]) continue
          Y.applyUpdate(other, Y.encodeStateAsUpdate(docs[i] as Y.Doc, Y.encodeStateVector(other)), 'sync')
          Y.applyUpdate(
            docs[i] as Y.Doc,
            Y.encodeStateAsUpdate(other, Y.encodeStateVector(docs[i] as Y.Doc)),
            'sync',
          )
        }
      }
      for (let step = 0; step < 600; step++) {
        const i = rnd.int(docs.length)
        if (rnd.next() < 0.05) {
          if (online[i]) online[i] = false
          else reconnect(i)
        }
        randomOp(docs[i] as Y.Doc, rnd)
      }
      docs.forEach((_, i) => {
        if (!online[i]) reconnect(i)
      })
      const exportedAt = new Date(0)
      const expected = exportBoard(origin, { lane: 'all', exportedAt })
      expect(expected.cards.length).toBeGreaterThan(5)
      for (const doc of docs) {
        expect(exportBoard(doc, { lane: 'all', exportedAt })).toEqual(expected)
        expect(listCards(doc, { includeDeleted: true })).toEqual(listCards(origin, { includeDeleted: true }))
      }
    })
  }
})
