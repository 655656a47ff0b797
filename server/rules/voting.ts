import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { cardMap } from '../../model/layout.js'
import { mergeCards } from '../../model/merge.js'
import { readFacilitation } from '../../model/phases.js'
import {
  readVoterCount,
  readVoting,
  setVoting,
  writeVoterCount,
  writeVoteTotals,
} from '../../model/voting.js'
import { invitationVoter } from '../access/invitations.js'
import type { Role } from '../access/tokens.js'
import { HttpError, readJson, sendJson } from '../http/http.js'
import type { Room } from '../realtime/room.js'
import type { Rooms } from '../realtime/rooms.js'
import type { BoardStore } from '../storage/store.js'

/**
 * Dot voting over HTTP. Votes live in the store, per participant (a secret the browser keeps, sent as
 * `X-Werkbord-Voter`, stored only as a hash), never in the document while hidden. Casting a vote is
 * one store transaction that checks the budget, so concurrent votes can never exceed it. Once the
 * facilitator reveals, the server writes each card's total into the document (`votes`) and keeps it
 * current.
 */
export function createVoting(deps: { store: BoardStore; rooms: Rooms; maxBodyBytes: number }) {
  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    boardId: string,
    role: Role,
    sub: string,
    invitationId?: string,
  ): Promise<void> {
    const method = req.method ?? 'GET'
    if (sub === '/votes/reveal') {
      if (method !== 'POST') throw new HttpError(405, 'Use POST', undefined, { allow: 'POST' })
      if (role !== 'facilitator') throw new HttpError(403, 'Only the facilitator reveals votes')
      sendJson(res, 200, await reveal(req, boardId))
    } else if (sub === '/merge') {
      if (method !== 'POST') throw new HttpError(405, 'Use POST', undefined, { allow: 'POST' })
      if (role !== 'facilitator') throw new HttpError(403, 'Only the facilitator merges cards')
      sendJson(res, 200, await merge(req, boardId))
    } else {
      if (role === 'observer') throw new HttpError(403, 'Observers do not vote')
      // A personal link is one voter whatever voter id its client sends (docs/api.md, [IV5]).
      const voter = invitationId ? invitationVoter(invitationId) : voterOf(req, boardId)
      if (method === 'GET') {
        sendJson(res, 200, await deps.rooms.with(boardId, (room) => mine(room, boardId, voter)))
      } else if (method === 'POST') {
        sendJson(res, 200, await vote(req, boardId, voter))
      } else throw new HttpError(405, 'Use GET or POST', undefined, { allow: 'GET, POST' })
    }
  }

  async function reveal(req: IncomingMessage, boardId: string) {
    const body = (await readJson(req, deps.maxBodyBytes)) as { revealed?: unknown }
    if (typeof body?.revealed !== 'boolean')
      throw new HttpError(400, 'Send { "revealed": true } or { "revealed": false }')
    const revealed = body.revealed
    await deps.rooms.with(boardId, async (room) => {
      const totals = revealed ? await deps.store.voteTotals(boardId) : new Map<string, number>()
      await room.change((doc) => {
        setVoting(doc, { revealed })
        writeVoteTotals(doc, totals)
      })
    })
    return { revealed }
  }

  async function merge(req: IncomingMessage, boardId: string) {
    const body = (await readJson(req, deps.maxBodyBytes)) as { target?: unknown; source?: unknown }
    const { target, source } = body ?? {}
    if (typeof target !== 'string' || typeof source !== 'string' || target === source) {
      throw new HttpError(400, 'Send { "target": "<card id>", "source": "<card id of the duplicate>" }')
    }
    await deps.rooms.with(boardId, async (room) => {
      for (const id of [target, source]) {
        const card = cardMap(room.doc, id)
        if (!card || card.get('deletedAt') != null)
          throw new HttpError(404, `No such card on this board: ${id}`)
      }
      await deps.store.moveVotes(boardId, source, target)
      const totals = readVoting(room.doc).revealed ? await deps.store.voteTotals(boardId) : null
      await room.change((doc) => {
        mergeCards(doc, target, source)
        if (totals) writeVoteTotals(doc, totals)
      })
    })
    return { merged: source, into: target }
  }

  async function vote(req: IncomingMessage, boardId: string, voter: string) {
    const body = (await readJson(req, deps.maxBodyBytes)) as { cardId?: unknown; delta?: unknown }
    const cardId = body?.cardId
    const delta = body?.delta
    if (typeof cardId !== 'string' || (delta !== 1 && delta !== -1)) {
      throw new HttpError(400, 'Send { "cardId": "<card id>", "delta": 1 } (or -1 to take a vote back)')
    }
    const { result, state } = await deps.rooms.with(boardId, async (room) => {
      if (readFacilitation(room.doc).phase !== 'stemmen')
        throw new HttpError(409, 'Voting is only open in the phase Stemmen')
      const card = cardMap(room.doc, cardId)
      // A vote on a card that was deleted since can still be taken back (it counts against the budget).
      if (!card || (delta === 1 && card.get('deletedAt') != null))
        throw new HttpError(404, 'No such card on this board')
      const settings = readVoting(room.doc)
      const result = await deps.store.castVote(boardId, voter, cardId, delta, {
        budget: settings.budget,
        perCard: settings.multiplePerCard ? settings.budget : 1,
      })
      if (result.ok) {
        // The count of who voted (not what) is shown before the reveal; the totals only after it.
        const voters = await deps.store.voterCount(boardId)
        const totals = settings.revealed ? await deps.store.voteTotals(boardId) : null
        if (totals || voters !== readVoterCount(room.doc))
          await room.change((doc) => {
            writeVoterCount(doc, voters)
            if (totals) writeVoteTotals(doc, totals)
          })
      }
      return { result, state: stateOf(room, result.votes) }
    })
    if (!result.ok) {
      const reasons = {
        budget: 'No votes left',
        'per-card': 'Only one vote per card',
        none: 'No vote of yours on this card',
      }
      throw new HttpError(409, reasons[result.reason], state)
    }
    return state
  }

  async function mine(room: Room, boardId: string, voter: string) {
    return stateOf(room, await deps.store.votesOf(boardId, voter))
  }

  return { handle }
}

/** What a participant sees of the vote: the settings, their votes per card and how many are left. */
function stateOf(room: Room, votes: Record<string, number>) {
  const settings = readVoting(room.doc)
  const used = Object.values(votes).reduce((sum, n) => sum + n, 0)
  return { settings, votes, remaining: Math.max(0, settings.budget - used) }
}

/** The participant's voter key: a hash of the browser's secret, bound to this board. */
function voterOf(req: IncomingMessage, boardId: string): string {
  const secret = req.headers['x-werkbord-voter']
  if (typeof secret !== 'string' || secret.length < 16 || secret.length > 128) {
    throw new HttpError(400, 'Send your voter id (16–128 characters) in the X-Werkbord-Voter header')
  }
  return createHash('sha256').update(`${boardId}\u0000${secret}`).digest('hex')
}
