import { describe, expect, it } from 'vitest'
import { ACTIVITY_RESOLUTION_MS, ActivityMarks } from '../../server/storage/activity-marks.js'
import { SqliteStore } from '../../server/storage/sqlite-store.js'
import { tempDir } from '../helpers/server.js'

describe('activity time written at most once a minute per board', () => {
  it('[RT7] a board is due when never written, again once the minute passed, and when the clock went back', () => {
    const marks = new ActivityMarks()
    const t = 1_000_000
    expect(marks.due(['a', 'b', 'a'], t)).toEqual(['a', 'b'])
    marks.wrote(['a'], t)
    expect(marks.due(['a', 'b'], t + 1)).toEqual(['b'])
    expect(marks.due(['a'], t + ACTIVITY_RESOLUTION_MS - 1)).toEqual([])
    expect(marks.due(['a'], t + ACTIVITY_RESOLUTION_MS)).toEqual(['a'])
    expect(marks.due(['a'], t - 1)).toEqual(['a'])
    marks.forget('a')
    expect(marks.due(['a'], t + 1)).toEqual(['a'])
  })

  it('[RT7] only what committed counts as written', () => {
    const marks = new ActivityMarks()
    expect(marks.due(['a'], 5)).toEqual(['a'])
    // due() alone (the transaction failed): still due
    expect(marks.due(['a'], 6)).toEqual(['a'])
  })

  it('[RT7] SQLite: the first append writes the activity time, one within the minute after does not', async () => {
    const store = SqliteStore.open(tempDir())
    const created = Date.now() - 3_600_000
    await store.createBoard(
      { id: 'a', createdAt: created, tokenHashes: { facilitator: 'f', participant: 'p', observer: 'o' } },
      new Uint8Array([0, 0]),
    )
    const before = Date.now()
    await store.append([{ boardId: 'a', update: new Uint8Array([0, 0]) }])
    const first = (await store.lastActivity('a')) as number
    expect(first).toBeGreaterThanOrEqual(before)
    // The clock moves on by at least a millisecond (a few iterations), so a second write would show.
    while (Date.now() <= first) Math.random()
    await store.append([
      { boardId: 'a', update: new Uint8Array([0, 0]) },
      { boardId: 'a', update: new Uint8Array([0, 0]) },
    ])
    expect(await store.lastActivity('a')).toBe(first)
    await store.close()
  })
})
