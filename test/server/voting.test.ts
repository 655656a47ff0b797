import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCard } from '../../model/cards.js'
import { readVoterCount, setVoting, voteTotals } from '../../model/voting.js'
import type { App } from '../../server/app.js'
import { connectClient } from '../helpers/clients.js'
import { setBoardPhase } from '../helpers/phase.js'
import { type BoardInfo, createBoard, startServer } from '../helpers/server.js'
import { untilDoc } from '../helpers/wait.js'

let app: App

beforeAll(async () => {
  app = await startServer({ phaseGraceMs: 0 })
})
afterAll(async () => {
  await app.close()
})

/** A board in the phase Stemmen with `n` cards, and the given voting settings. */
async function votingBoard(n: number, settings: { budget: number; multiplePerCard?: boolean }) {
  const board = await createBoard(app.url, 'blank')
  const facilitator = connectClient(app.url, board.id, board.tokens.facilitator)
  await facilitator.synced
  const cards = Array.from({ length: n }, (_, i) =>
    createCard(facilitator.doc, { fields: { actie: `actie ${i + 1}` } }),
  )
  setVoting(facilitator.doc, settings)
  facilitator.destroy()
  await setBoardPhase(app.url, board, 'stemmen')
  return { board, cards }
}

function vote(
  board: BoardInfo,
  voter: string,
  cardId: string,
  delta: 1 | -1 = 1,
  token = board.tokens.participant,
) {
  return fetch(`${app.url}/api/boards/${board.id}/votes`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'x-werkbord-voter': voter,
    },
    body: JSON.stringify({ cardId, delta }),
  })
}

const voterId = (i: number) => `stemmer-${String(i).padStart(4, '0')}-${'x'.repeat(16)}`

describe('dot voting', () => {
  it('[V1] concurrent votes from many participants never exceed anyone’s budget', async () => {
    const { board, cards } = await votingBoard(10, { budget: 5, multiplePerCard: true })
    const voters = Array.from({ length: 20 }, (_, i) => voterId(i))
    // Every participant fires 8 votes at once, on random cards: 3 of each 8 must be refused.
    const responses = await Promise.all(
      voters.flatMap((voter, v) =>
        Array.from({ length: 8 }, (_, k) =>
          vote(board, voter, cards[(v * 7 + k * 3) % cards.length] as string),
        ),
      ),
    )
    const ok = responses.filter((res) => res.status === 200).length
    expect(ok).toBe(20 * 5)
    expect(responses.filter((res) => res.status === 409).length).toBe(20 * 3)
    for (const voter of voters) {
      const res = await fetch(`${app.url}/api/boards/${board.id}/votes`, {
        headers: { authorization: `Bearer ${board.tokens.participant}`, 'x-werkbord-voter': voter },
      })
      expect(await res.json()).toMatchObject({ remaining: 0 })
    }
  })

  it('[V2] hidden votes are not in the document anyone receives; revealed totals are, and stay current', async () => {
    const { board, cards } = await votingBoard(3, { budget: 3 })
    const [a, b] = cards as [string, string]
    for (const [voter, card] of [
      [voterId(1), a],
      [voterId(2), a],
      [voterId(3), b],
    ] as const) {
      expect((await vote(board, voter, card)).status).toBe(200)
    }
    const participant = connectClient(app.url, board.id, board.tokens.participant)
    await participant.synced
    expect(participant.doc.getMap('votes').size).toBe(0)
    const reveal = await fetch(`${app.url}/api/boards/${board.id}/votes/reveal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${board.tokens.facilitator}` },
      body: JSON.stringify({ revealed: true }),
    })
    expect(reveal.status).toBe(200)
    await untilDoc(
      participant.doc,
      () => voteTotals(participant.doc).get(a) === 2 && voteTotals(participant.doc).get(b) === 1,
    )
    await vote(board, voterId(4), b)
    await untilDoc(participant.doc, () => voteTotals(participant.doc).get(b) === 2)
    const exported = (await (
      await fetch(`${app.url}/api/boards/${board.id}/export?lane=all&token=${board.tokens.observer}`)
    ).json()) as {
      cards: { id: string; votes?: number }[]
    }
    expect(exported.cards.find((card) => card.id === a)?.votes).toBe(2)
    participant.destroy()
  })

  it('[V3] one vote per card unless allowed; votes can be taken back; only in Stemmen; not for observers', async () => {
    const { board, cards } = await votingBoard(2, { budget: 3 })
    const [a] = cards as [string]
    const voter = voterId(9)
    expect((await vote(board, voter, a)).status).toBe(200)
    const second = await vote(board, voter, a)
    expect(second.status).toBe(409)
    expect(await second.json()).toMatchObject({ error: 'Only one vote per card', remaining: 2 })
    expect((await vote(board, voter, a, -1)).status).toBe(200)
    expect((await vote(board, voter, a, -1)).status).toBe(409)
    expect((await vote(board, voter, a, 1, board.tokens.observer)).status).toBe(403)
    expect((await vote(board, voter, 'geen-kaart')).status).toBe(404)
    expect((await vote(board, 'kort', a)).status).toBe(400)
    await setBoardPhase(app.url, board, 'selecteren')
    expect((await vote(board, voter, a)).status).toBe(409)
  })

  it('[V5] how many participants voted (not what) is in the document before the reveal', async () => {
    const { board, cards } = await votingBoard(3, { budget: 2 })
    const [a, b] = cards as [string, string]
    const observer = connectClient(app.url, board.id, board.tokens.observer)
    await observer.synced
    expect(readVoterCount(observer.doc)).toBe(0)
    expect((await vote(board, voterId(1), a)).status).toBe(200)
    await untilDoc(observer.doc, () => readVoterCount(observer.doc) === 1)
    expect((await vote(board, voterId(1), b)).status).toBe(200) // the same voter again: still one
    expect((await vote(board, voterId(2), b)).status).toBe(200)
    await untilDoc(observer.doc, () => readVoterCount(observer.doc) === 2)
    expect(observer.doc.getMap('votes').size).toBe(0) // what they voted stays hidden
    // Taking back every vote: no longer counted.
    expect((await vote(board, voterId(2), b, -1)).status).toBe(200)
    await untilDoc(observer.doc, () => readVoterCount(observer.doc) === 1)
    observer.destroy()
  })

  it('[V4] merging a duplicate keeps its votes on the card it was merged into', async () => {
    const { board, cards } = await votingBoard(2, { budget: 3 })
    const [keep, duplicate] = cards as [string, string]
    expect((await vote(board, voterId(21), keep)).status).toBe(200)
    expect((await vote(board, voterId(22), duplicate)).status).toBe(200)
    const merge = await fetch(`${app.url}/api/boards/${board.id}/merge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${board.tokens.facilitator}` },
      body: JSON.stringify({ target: keep, source: duplicate }),
    })
    expect(merge.status).toBe(200)
    await fetch(`${app.url}/api/boards/${board.id}/votes/reveal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${board.tokens.facilitator}` },
      body: JSON.stringify({ revealed: true }),
    })
    const exported = (await (
      await fetch(`${app.url}/api/boards/${board.id}/export?lane=all&token=${board.tokens.observer}`)
    ).json()) as {
      cards: { id: string; votes?: number }[]
    }
    expect(exported.cards.map((card) => [card.id, card.votes])).toEqual([[keep, 2]])
    const byParticipant = await fetch(`${app.url}/api/boards/${board.id}/merge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${board.tokens.participant}` },
      body: JSON.stringify({ target: keep, source: duplicate }),
    })
    expect(byParticipant.status).toBe(403)
  })
})
