import type * as Y from 'yjs'
import { templateOf } from '../layout.js'
import { type CardView, listCards } from '../read.js'
import type { BoardTemplate } from '../template.js'
import { readVoterCount, readVoting, voteTotals } from '../voting.js'
import { cardThemeIds, cardTitle } from './title.js'

/** A card's place in the dot-vote ranking. */
export interface RankedCard {
  id: string
  number: number
  title: string
  lane: string
  themes: string[]
  votes: number
  /** 1-based; cards with the same number of votes share a place ("gedeeld 2e"). */
  place: number
}

export interface VoteRanking {
  /** Whether the facilitator revealed the totals (before that, `cards` is empty). */
  revealed: boolean
  /** How many participants placed at least one vote. */
  voters: number
  cards: RankedCard[]
}

/**
 * Card ids by votes (most first), ties by card number; each with its shared place. The order the
 * results view (client/results/Ranking.tsx) shows.
 */
export function rankOrder(
  ids: readonly string[],
  totals: ReadonlyMap<string, number>,
  numbers: ReadonlyMap<string, number>,
): { id: string; votes: number; place: number }[] {
  const votes = (id: string) => totals.get(id) ?? 0
  const number = (id: string) => numbers.get(id) ?? 0
  const sorted = [...ids].sort((a, b) => votes(b) - votes(a) || number(a) - number(b))
  let place = 0
  return sorted.map((id, i) => {
    if (i === 0 || votes(sorted[i - 1] as string) !== votes(id)) place = i + 1
    return { id, votes: votes(id), place }
  })
}

/** The ranking of a list of live cards (as `listCards` gives them) under the given totals. */
export function rankingOf(
  template: BoardTemplate,
  cards: readonly CardView[],
  totals: ReadonlyMap<string, number>,
  voters: number,
  revealed: boolean,
): VoteRanking {
  if (!revealed) return { revealed, voters, cards: [] }
  const live = cards.filter((card) => card.deletedAt === null)
  const byId = new Map(live.map((card) => [card.id, card]))
  const numbers = new Map(live.map((card) => [card.id, card.number]))
  const ranked = rankOrder(
    live.map((card) => card.id),
    totals,
    numbers,
  ).map(({ id, votes, place }) => {
    const card = byId.get(id) as CardView
    return {
      id,
      number: card.number,
      title: cardTitle(card),
      lane: card.lane,
      themes: cardThemeIds(card, template),
      votes,
      place,
    }
  })
  return { revealed, voters, cards: ranked }
}

/** The board's vote ranking as everyone may see it: empty until the reveal, the voter count always. */
export function boardRanking(doc: Y.Doc): VoteRanking {
  return rankingOf(
    templateOf(doc),
    listCards(doc),
    voteTotals(doc),
    readVoterCount(doc),
    readVoting(doc).revealed,
  )
}
