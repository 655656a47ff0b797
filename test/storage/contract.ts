import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type {
  BoardRecord,
  BoardStore,
  InvitationRecord,
  StoredBoard,
  StoredTemplate,
} from '../../server/storage/store.js'
import { random } from '../helpers/random-ops.js'

const record = (id: string): BoardRecord => ({
  id,
  createdAt: 1_700_000_000_000,
  tokenHashes: { facilitator: 'f'.repeat(64), participant: 'p'.repeat(64), observer: 'o'.repeat(64) },
})

const bytes = (...values: number[]) => new Uint8Array(values)

/**
 * The storage contract: every BoardStore implementation must pass these. A later (distributed)
 * backend registers itself here with its own factory.
 */
export function storageContract(
  name: string,
  open: () => Promise<{ store: BoardStore; reopen: () => Promise<BoardStore> }>,
) {
  describe(`storage contract: ${name}`, () => {
    let store: BoardStore
    let reopen: () => Promise<BoardStore>
    beforeEach(async () => {
      ;({ store, reopen } = await open())
    })
    afterEach(async () => {
      await store.close()
    })

    it('[ST1] a created board is found with its token hashes and first update', async () => {
      await store.createBoard(record('b1'), bytes(1, 2, 3))
      expect(await store.getBoard('b1')).toEqual(record('b1'))
      expect(await store.getBoard('b2')).toBeUndefined()
      expect(await store.load('b1')).toEqual({
        snapshot: null,
        updates: [{ seq: expect.any(Number), update: bytes(1, 2, 3) }],
      })
    })

    it('[ST2] creating a board id twice fails and leaves the first intact', async () => {
      await store.createBoard(record('b1'), bytes(1))
      await expect(store.createBoard(record('b1'), bytes(2))).rejects.toThrow()
      expect((await store.load('b1')).updates.map((u) => u.update)).toEqual([bytes(1)])
    })

    it('[ST3] appends return increasing sequence numbers and load in order, per board', async () => {
      await store.createBoard(record('a'), bytes(0))
      await store.createBoard(record('b'), bytes(0))
      const seqs = await store.append([
        { boardId: 'a', update: bytes(1) },
        { boardId: 'b', update: bytes(2) },
        { boardId: 'a', update: bytes(3) },
      ])
      expect(seqs).toHaveLength(3)
      expect([...seqs].sort((x, y) => x - y)).toEqual(seqs)
      expect((await store.load('a')).updates.map((u) => u.update)).toEqual([bytes(0), bytes(1), bytes(3)])
      expect((await store.load('b')).updates.map((u) => u.update)).toEqual([bytes(0), bytes(2)])
    })

    it('[ST4] an append of an unknown board fails whole: nothing of the batch is stored', async () => {
      await store.createBoard(record('a'), bytes(0))
      await expect(
        store.append([
          { boardId: 'a', update: bytes(1) },
          { boardId: 'missing', update: bytes(2) },
        ]),
      ).rejects.toThrow()
      expect((await store.load('a')).updates.map((u) => u.update)).toEqual([bytes(0)])
    })

    it('[ST5] compaction replaces the snapshot and the covered updates, keeping later ones', async () => {
      await store.createBoard(record('a'), bytes(0))
      const [s1, s2] = await store.append([
        { boardId: 'a', update: bytes(1) },
        { boardId: 'a', update: bytes(2) },
      ])
      await store.compact('a', bytes(9, 9), s1 as number)
      const loaded = await store.load('a')
      expect(loaded.snapshot).toEqual(bytes(9, 9))
      expect(loaded.updates).toEqual([{ seq: s2, update: bytes(2) }])
    })

    it('[ST6] what was appended survives closing and reopening', async () => {
      await store.createBoard(record('a'), bytes(0))
      await store.append([{ boardId: 'a', update: bytes(5) }])
      await store.close()
      store = await reopen()
      expect((await store.load('a')).updates.map((u) => u.update)).toEqual([bytes(0), bytes(5)])
      expect(await store.getBoard('a')).toEqual(record('a'))
    })

    it('[ST7] votes: within the budget and the per-card limit, taken back, totalled; atomically', async () => {
      await store.createBoard(record('v'), bytes(0))
      const limits = { budget: 2, perCard: 1 }
      expect(await store.castVote('v', 'anna', 'c1', 1, limits)).toEqual({ ok: true, votes: { c1: 1 } })
      expect(await store.castVote('v', 'anna', 'c1', 1, limits)).toMatchObject({
        ok: false,
        reason: 'per-card',
      })
      expect(await store.castVote('v', 'anna', 'c2', 1, limits)).toMatchObject({ ok: true })
      expect(await store.castVote('v', 'anna', 'c3', 1, limits)).toMatchObject({
        ok: false,
        reason: 'budget',
      })
      expect(await store.castVote('v', 'bert', 'c1', 1, limits)).toMatchObject({ ok: true })
      expect(await store.castVote('v', 'bert', 'c2', -1, limits)).toMatchObject({ ok: false, reason: 'none' })
      expect(await store.castVote('v', 'anna', 'c2', -1, limits)).toEqual({ ok: true, votes: { c1: 1 } })
      expect(await store.voteTotals('v')).toEqual(new Map([['c1', 2]]))
      expect(await store.voterCount('v')).toBe(2)
      const many = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.castVote('v', 'cees', `k${i}`, 1, { budget: 3, perCard: 1 }),
        ),
      )
      expect(many.filter((result) => result.ok)).toHaveLength(3)
      expect(Object.keys(await store.votesOf('v', 'cees'))).toHaveLength(3)
    })

    describe("a board's whole life: deletion and retention", () => {
      it('[DL1] deleting a board removes its record, updates, snapshot and votes, for good; other boards stay', async () => {
        await store.createBoard(record('gone'), bytes(1))
        await store.createBoard(record('kept'), bytes(2))
        const [seq] = await store.append([
          { boardId: 'gone', update: bytes(3) },
          { boardId: 'kept', update: bytes(4) },
        ])
        await store.compact('gone', bytes(9), seq as number)
        await store.append([{ boardId: 'gone', update: bytes(5) }])
        await store.castVote('gone', 'anna', 'c1', 1, { budget: 3, perCard: 1 })
        await store.castVote('kept', 'anna', 'c1', 1, { budget: 3, perCard: 1 })

        expect(await store.deleteBoard('gone')).toBe(true)
        expect(await store.deleteBoard('gone')).toBe(false)
        expect(await store.deleteBoard('never')).toBe(false)
        const check = async (s: BoardStore) => {
          expect(await s.getBoard('gone')).toBeUndefined()
          expect(await s.load('gone')).toEqual({ snapshot: null, updates: [] })
          expect(await s.votesOf('gone', 'anna')).toEqual({})
          expect(await s.voteTotals('gone')).toEqual(new Map())
          expect(await s.voterCount('gone')).toBe(0)
          expect(await s.lastActivity('gone')).toBeUndefined()
          expect(await s.getBoard('kept')).toEqual(record('kept'))
          expect((await s.load('kept')).updates.map((u) => u.update)).toEqual([bytes(2), bytes(4)])
          expect(await s.voteTotals('kept')).toEqual(new Map([['c1', 1]]))
        }
        await check(store)
        await store.close()
        store = await reopen()
        await check(store)
      })

      it('[DL2] nothing can be appended to, compacted into or voted on a deleted board', async () => {
        await store.createBoard(record('gone'), bytes(1))
        await store.deleteBoard('gone')
        await expect(store.append([{ boardId: 'gone', update: bytes(2) }])).rejects.toThrow()
        await expect(store.compact('gone', bytes(9), 1)).rejects.toThrow()
        await expect(store.castVote('gone', 'anna', 'c1', 1, { budget: 3, perCard: 1 })).rejects.toThrow()
        expect(await store.load('gone')).toEqual({ snapshot: null, updates: [] })
      })

      it('[RT1] a board is active when created and whenever an update is appended', async () => {
        const created = Date.now() - 3_600_000
        await store.createBoard({ ...record('a'), createdAt: created }, bytes(1))
        await store.createBoard({ ...record('b'), createdAt: created - 1000 }, bytes(1))
        expect(await store.lastActivity('a')).toBe(created)
        expect(await store.lastActivity('missing')).toBeUndefined()
        expect(await store.inactiveBoards(created + 1, 10)).toEqual([
          { id: 'b', createdAt: created - 1000, activeAt: created - 1000 },
          { id: 'a', createdAt: created, activeAt: created },
        ])
        expect(await store.inactiveBoards(created + 1, 1)).toHaveLength(1)
        expect(await store.inactiveBoards(created - 1000, 10)).toEqual([])
        const before = Date.now()
        await store.append([{ boardId: 'a', update: bytes(2) }])
        // The store's clock (PostgreSQL's, on the same machine here): within a minute of ours.
        expect(await store.lastActivity('a')).toBeGreaterThanOrEqual(before - 60_000)
        expect((await store.inactiveBoards(created + 1, 10)).map((b) => b.id)).toEqual(['b'])
      })

      it('[RT2] postponing moves the activity time forward, never back; a later append does not undo it', async () => {
        const created = Date.now() - 3_600_000
        await store.createBoard({ ...record('a'), createdAt: created }, bytes(1))
        const later = Date.now() + 30 * 86_400_000
        await store.touchBoard('a', later)
        expect(await store.lastActivity('a')).toBe(later)
        await store.touchBoard('a', created)
        expect(await store.lastActivity('a')).toBe(later)
        await store.append([{ boardId: 'a', update: bytes(2) }])
        expect(await store.lastActivity('a')).toBe(later)
        expect(await store.inactiveBoards(later, 10)).toEqual([])
        expect((await store.inactiveBoards(later + 1, 10)).map((b) => b.id)).toEqual(['a'])
        await store.touchBoard('missing', later) // no such board: nothing happens
        expect(await store.lastActivity('missing')).toBeUndefined()
      })
    })
  })

  describe(`storage contract, personal invitations: ${name}`, () => {
    let store: BoardStore
    let reopen: () => Promise<BoardStore>
    beforeEach(async () => {
      ;({ store, reopen } = await open())
    })
    afterEach(async () => {
      await store.close()
    })

    const invitation = (id: string, name: string, organisation: string | null = null): InvitationRecord => ({
      id,
      name,
      organisation,
      tokenHash: `${id}`.padEnd(64, '0'),
      createdAt: 1_700_000_000_000,
      joinedAt: null,
    })

    it('[IV1] invitations are stored in the given order, found by token hash per board, and survive reopening', async () => {
      await store.createBoard(record('a'), bytes(0))
      await store.createBoard(record('b'), bytes(0))
      const people = ['zoe', 'anna', 'mo', 'bert'].map((id, i) =>
        invitation(id, `Naam ${id}`, i % 2 ? 'Gemeente Hoorn' : null),
      )
      await store.addInvitations('a', people)
      await store.addInvitations('a', [invitation('cees', 'Cees')])
      expect(await store.invitations('a')).toEqual([...people, invitation('cees', 'Cees')])
      expect(await store.invitations('b')).toEqual([])
      expect(await store.invitationByTokenHash('a', invitation('mo', '').tokenHash)).toEqual(people[2])
      expect(await store.invitationByTokenHash('b', invitation('mo', '').tokenHash)).toBeUndefined()
      expect(await store.invitationByTokenHash('a', 'f'.repeat(64))).toBeUndefined()
      await store.close()
      store = await reopen()
      expect((await store.invitations('a')).map((i) => i.id)).toEqual(['zoe', 'anna', 'mo', 'bert', 'cees'])
    })

    it('[IV2] adding invitations is all or none: a duplicate id or token hash, or an unknown board, stores nothing', async () => {
      await store.createBoard(record('a'), bytes(0))
      await store.addInvitations('a', [invitation('x', 'X')])
      await expect(
        store.addInvitations('a', [invitation('y', 'Y'), invitation('x', 'X again')]),
      ).rejects.toThrow()
      const sameToken = { ...invitation('z', 'Z'), tokenHash: invitation('x', '').tokenHash }
      await expect(store.addInvitations('a', [invitation('w', 'W'), sameToken])).rejects.toThrow()
      await expect(store.addInvitations('missing', [invitation('v', 'V')])).rejects.toThrow()
      expect((await store.invitations('a')).map((i) => i.id)).toEqual(['x'])
    })

    it('[IV3] the first join is kept; a revoked invitation is gone at once and its token finds nothing', async () => {
      await store.createBoard(record('a'), bytes(0))
      await store.addInvitations('a', [invitation('x', 'X'), invitation('y', 'Y')])
      await store.markInvitationJoined('a', 'x', 1_700_000_100_000)
      await store.markInvitationJoined('a', 'x', 1_700_000_200_000)
      expect((await store.invitations('a'))[0]?.joinedAt).toBe(1_700_000_100_000)
      expect(await store.revokeInvitation('a', 'x')).toBe(true)
      expect(await store.revokeInvitation('a', 'x')).toBe(false)
      expect(await store.revokeInvitation('a', 'nope')).toBe(false)
      expect(await store.invitationByTokenHash('a', invitation('x', '').tokenHash)).toBeUndefined()
      expect((await store.invitations('a')).map((i) => i.id)).toEqual(['y'])
    })

    it('[IV4] the shared participant link is on until switched off, per board, and the switch is durable', async () => {
      await store.createBoard(record('a'), bytes(0))
      await store.createBoard(record('b'), bytes(0))
      expect(await store.sharedLinkEnabled('a')).toBe(true)
      await store.setSharedLinkEnabled('a', false)
      expect(await store.sharedLinkEnabled('a')).toBe(false)
      expect(await store.sharedLinkEnabled('b')).toBe(true)
      await store.close()
      store = await reopen()
      expect(await store.sharedLinkEnabled('a')).toBe(false)
      await store.setSharedLinkEnabled('a', true)
      expect(await store.sharedLinkEnabled('a')).toBe(true)
    })
  })

  describe(`template storage contract: ${name}`, () => {
    let store: BoardStore
    let reopen: () => Promise<BoardStore>
    beforeEach(async () => {
      ;({ store, reopen } = await open())
    })
    afterEach(async () => {
      await store.close()
    })

    const template = (id: string, createdAt: number, body = `{"id":"${id}"}`): StoredTemplate => ({
      id,
      createdAt,
      title: `Template ${id} – “eigen”`,
      description: 'Thema’s en velden\nmet een tweede regel',
      themes: 3,
      cards: 12,
      body,
    })
    const summary = ({ body: _body, ...rest }: StoredTemplate) => rest

    it('[TS1] a saved template is listed without its body, oldest first, and read back exactly', async () => {
      expect(await store.listTemplates()).toEqual([])
      const big = JSON.stringify({ id: 't2', text: 'é'.repeat(200_000), emoji: '🧭' })
      await store.saveTemplate(template('t2', 2_000, big))
      await store.saveTemplate(template('t1', 1_000))
      expect(await store.listTemplates()).toEqual([
        summary(template('t1', 1_000)),
        summary(template('t2', 2_000)),
      ])
      expect(await store.getTemplate('t2')).toEqual(template('t2', 2_000, big))
      expect(await store.getTemplate('nope')).toBeUndefined()
    })

    it('[TS2] saving a template id twice fails and leaves the first intact', async () => {
      await store.saveTemplate(template('t1', 1_000, '{"first":true}'))
      await expect(store.saveTemplate(template('t1', 2_000, '{"second":true}'))).rejects.toThrow()
      expect(await store.getTemplate('t1')).toEqual(template('t1', 1_000, '{"first":true}'))
      expect(await store.listTemplates()).toHaveLength(1)
    })

    it('[TS3] a deleted template is gone from the list and the store; deleting again says there was none', async () => {
      await store.saveTemplate(template('t1', 1_000))
      await store.saveTemplate(template('t2', 2_000))
      expect(await store.deleteTemplate('t1')).toBe(true)
      expect(await store.deleteTemplate('t1')).toBe(false)
      expect(await store.getTemplate('t1')).toBeUndefined()
      expect((await store.listTemplates()).map((t) => t.id)).toEqual(['t2'])
    })

    it('[TS4] templates survive closing and reopening, beside the boards', async () => {
      await store.createBoard(record('b1'), bytes(1))
      await store.saveTemplate(template('t1', 1_000))
      await store.close()
      store = await reopen()
      expect(await store.getTemplate('t1')).toEqual(template('t1', 1_000))
      expect(await store.getBoard('b1')).toEqual(record('b1'))
    })
  })

  describe(`storage contract, compaction beside appends: ${name}`, () => {
    let store: BoardStore
    beforeEach(async () => {
      ;({ store } = await open())
    })
    afterEach(async () => {
      await store.close()
    })

    /** An update (or a snapshot) that says which updates it holds: 4 bytes per update number. */
    const tags = (numbers: readonly number[]) => {
      const out = new Uint8Array(numbers.length * 4)
      const view = new DataView(out.buffer)
      for (const [i, n] of numbers.entries()) view.setUint32(i * 4, n)
      return out
    }
    const numbersIn = (data: Uint8Array) => {
      const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
      return Array.from({ length: data.byteLength / 4 }, (_, i) => view.getUint32(i * 4))
    }

    it('[ST8] compactions written while appends and loads go on lose nothing; a load sees a snapshot and the log after it, never both nor neither (seeded)', async () => {
      for (const seed of [11, 12, 13]) {
        const rnd = random(seed)
        const board = `compact-${seed}`
        await store.createBoard(record(board), tags([0]))
        /** Acknowledged (durable) updates: seq → number, in the order they were acknowledged. */
        const acked = new Map<number, number>()
        for (const { seq } of (await store.load(board)).updates) acked.set(seq, 0)
        const check = (loaded: StoredBoard, known: ReadonlySet<number>, why: string) => {
          const inSnapshot = loaded.snapshot ? numbersIn(loaded.snapshot) : []
          const inLog = loaded.updates.flatMap((u) => numbersIn(u.update))
          const seqs = loaded.updates.map((u) => u.seq)
          expect(seqs, why).toEqual([...seqs].sort((a, b) => a - b))
          // Atomic: an update is in the snapshot or in the log, never in both (and never in neither).
          expect(
            inLog.filter((n) => inSnapshot.includes(n)),
            why,
          ).toEqual([])
          const held = new Set([...inSnapshot, ...inLog])
          expect(
            [...known].filter((n) => !held.has(n)),
            why,
          ).toEqual([])
        }
        // Appends one batch at a time, as the append batcher sends them; compactions (one at a time,
        // as a room makes them) and loads at random moments in between, without waiting for them.
        let appending: Promise<void> = Promise.resolve()
        let compacting: Promise<void> | null = null
        const inFlight: Promise<unknown>[] = []
        let next = 1
        for (let step = 0; step < 150; step++) {
          const roll = rnd.next()
          if (roll < 0.55) {
            const numbers = Array.from({ length: 1 + rnd.int(4) }, () => next++)
            appending = appending.then(async () => {
              const seqs = await store.append(numbers.map((n) => ({ boardId: board, update: tags([n]) })))
              for (const [i, seq] of seqs.entries()) acked.set(seq, numbers[i] as number)
            })
            inFlight.push(appending)
          } else if (roll < 0.8) {
            if (compacting) continue
            // As a room does: the snapshot holds everything durable so far, up to the last seq.
            const upTo = Math.max(...acked.keys())
            const snapshot = tags([...acked.values()])
            compacting = store.compact(board, snapshot, upTo).finally(() => {
              compacting = null
            })
            inFlight.push(compacting)
          } else {
            const known = new Set(acked.values())
            inFlight.push(
              store.load(board).then((loaded) => check(loaded, known, `seed ${seed} step ${step}`)),
            )
          }
          // Now and then everything settles; mostly the next step comes while appends are being written.
          const pause = rnd.next()
          if (pause < 0.1) await Promise.all(inFlight.splice(0))
          else if (pause < 0.7) await new Promise((resolve) => setImmediate(resolve))
        }
        await Promise.all(inFlight.splice(0))
        check(await store.load(board), new Set(acked.values()), `seed ${seed} at the end`)
        expect(acked.size).toBe(next)
      }
    })
  })
}
