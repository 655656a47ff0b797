import type * as Y from 'yjs'
import { metaOf } from './layout.js'

/**
 * Dot voting. Votes themselves are kept by the server, per participant, never in the document while
 * hidden; the document holds the settings (meta) and, once revealed, each card's total (`votes` map:
 * card id → number), written by the server only.
 */
export interface VotingSettings {
  /** Votes each participant may place. */
  budget: number
  /** Whether several of one participant's votes may go to the same card. */
  multiplePerCard: boolean
  /** Totals are visible to everyone (written into the document). */
  revealed: boolean
}

export const DEFAULT_VOTING: VotingSettings = { budget: 5, multiplePerCard: false, revealed: false }
export const MIN_BUDGET = 1
export const MAX_BUDGET = 20

export const VOTES = 'votes'
const META_VOTING = 'voting'
const META_VOTERS = 'voters'

export function readVoting(doc: Y.Doc): VotingSettings {
  const stored = metaOf(doc).get(META_VOTING) as Partial<VotingSettings> | undefined
  const budget = Number(stored?.budget)
  return {
    budget:
      Number.isInteger(budget) && budget >= MIN_BUDGET && budget <= MAX_BUDGET
        ? budget
        : DEFAULT_VOTING.budget,
    multiplePerCard: stored?.multiplePerCard === true,
    revealed: stored?.revealed === true,
  }
}

export function setVoting(doc: Y.Doc, patch: Partial<VotingSettings>, origin?: unknown): void {
  doc.transact(() => metaOf(doc).set(META_VOTING, { ...readVoting(doc), ...patch }), origin)
}

/** Each card's total, as revealed (empty while votes are hidden). */
export function voteTotals(doc: Y.Doc): Map<string, number> {
  const totals = new Map<string, number>()
  for (const [cardId, value] of doc.getMap(VOTES).entries()) {
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) totals.set(cardId, value)
  }
  return totals
}

/** Server side: replace the revealed totals (an empty map hides them again). */
export function writeVoteTotals(doc: Y.Doc, totals: ReadonlyMap<string, number>, origin?: unknown): void {
  const votes = doc.getMap<number>(VOTES)
  doc.transact(() => {
    for (const cardId of [...votes.keys()]) if (!totals.has(cardId)) votes.delete(cardId)
    for (const [cardId, total] of totals) if (votes.get(cardId) !== total) votes.set(cardId, total)
  }, origin)
}

/**
 * How many participants have placed at least one vote (not what they voted): written by the server
 * into `meta.voters` as votes come in, so the facilitator and the beamer see it before the reveal.
 */
export function readVoterCount(doc: Y.Doc): number {
  const n = metaOf(doc).get(META_VOTERS)
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : 0
}

/** Server side: record the number of participants who voted (nothing written when unchanged). */
export function writeVoterCount(doc: Y.Doc, count: number, origin?: unknown): void {
  if (readVoterCount(doc) === count) return
  doc.transact(() => metaOf(doc).set(META_VOTERS, count), origin)
}
