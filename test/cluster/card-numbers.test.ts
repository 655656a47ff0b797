import { describe, expect, it } from 'vitest'
import { createCard } from '../../model/cards.js'
import { numberConflicts, type YoungCard } from '../../server/cluster/card-numbers.js'
import { newBoard, replica, sync } from '../model/helpers.js'

/** Two replicas each create a card with id `a` and `b` while apart: both take the next number. */
function twins(ids: [string, string]) {
  const doc = newBoard()
  const other = replica(doc)
  createCard(doc, { id: ids[0] })
  createCard(other, { id: ids[1] })
  sync(doc, other)
  return doc
}

const young = (...ids: string[]) => new Map<string, YoungCard>(ids.map((id) => [id, { own: true, at: 0 }]))

describe('card numbers between instances', () => {
  it('[CL7] of two new cards with one number the smallest id keeps it; both are unsettled until then', () => {
    const doc = twins(['k2', 'k1'])
    expect(numberConflicts(doc, young('k1', 'k2'))).toEqual({
      unsettled: ['k1', 'k2'],
      yielding: [{ id: 'k2', number: 1 }],
    })
  })

  it('[CL7] a new card gives up a number an older card holds, whatever their ids', () => {
    const doc = twins(['a', 'old'])
    // "old" is not watched (this instance saw it before it began to watch): "a" gives the number up.
    expect(numberConflicts(doc, young('a')).yielding).toEqual([{ id: 'a', number: 1 }])
  })

  it('[CL7] cards with numbers of their own are settled; nothing is watched, nothing is found', () => {
    const doc = newBoard()
    createCard(doc, { id: 'x' })
    createCard(doc, { id: 'y' })
    expect(numberConflicts(doc, young('x', 'y'))).toEqual({ unsettled: [], yielding: [] })
    expect(numberConflicts(twins(['p', 'q']), new Map())).toEqual({ unsettled: [], yielding: [] })
  })
})
