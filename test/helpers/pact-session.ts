import * as Y from 'yjs'
import { initBoard } from '../../model/board.js'
import { moveCard, setCriterion } from '../../model/cards.js'
import { linkCards } from '../../model/links.js'
import { setPhase } from '../../model/phases.js'
import { listCards } from '../../model/read.js'
import { setVoting, writeVoterCount, writeVoteTotals } from '../../model/voting.js'
import { loadTemplate } from '../model/helpers.js'

/** The werksessie of 26 September, as a board: the Pact 7.1 template's 20 actions, the day's phases. */
export const SESSION_DAY = Date.UTC(2019, 8, 26, 7, 0) // 09:00 in the Netherlands
const minutes = (n: number) => SESSION_DAY + n * 60_000

/** The actions shortlisted (by number), in shortlist order, and the votes each action got. */
export const SHORTLIST = [7, 8, 1, 2, 13, 4, 10, 12, 15]
export const VOTES: Record<number, number> = {
  7: 14,
  8: 11,
  1: 9,
  2: 9,
  13: 8,
  4: 7,
  10: 6,
  12: 5,
  15: 4,
  3: 3,
}
export const PARTICIPANTS = 23

/**
 * A finished Pact 7.1 werksessie: collected (the template's 20 actions), voted (revealed totals, 23
 * participants voted), selected (nine shortlisted, criteria ticked) and done, with a koppelkans and a
 * dilemma between actions. `extra` cards (e.g. hostile text) are added to the shortlist too.
 */
export function pactSession(extra: Record<string, unknown>[] = []): Y.Doc {
  const doc = new Y.Doc()
  const template = loadTemplate('pact-westfriesland-7.1')
  const cards = [
    ...(template.cards ?? []),
    ...extra.map((fields) => ({ lane: 'longlist', fields: fields as never })),
  ]
  initBoard(
    doc,
    { ...template, cards },
    { id: 'pact71', title: 'Werksessie Pact 7.1 – 26 september', now: minutes(0) },
  )
  playPactSession(doc, extra.length)
  return doc
}

/**
 * The werksessie's course on a board made from the Pact 7.1 template (its 20 actions, then `extra`
 * cards numbered from 21): phases with their times, revealed votes, the shortlist, criteria and links.
 * Works on a test's own document and on a facilitator's synced copy of a server's board alike.
 */
export function playPactSession(doc: Y.Doc, extra = 0): void {
  const byNumber = new Map(listCards(doc).map((card) => [card.number, card.id]))
  const id = (n: number) => byNumber.get(n) as string
  setPhase(doc, 'verzamelen', undefined, minutes(0))
  setPhase(doc, 'stemmen', undefined, minutes(75))
  writeVoterCount(doc, PARTICIPANTS)
  setVoting(doc, { budget: 5, revealed: true })
  writeVoteTotals(doc, new Map(Object.entries(VOTES).map(([n, votes]) => [id(Number(n)), votes])))
  setPhase(doc, 'selecteren', undefined, minutes(100))
  const extraNumbers = Array.from({ length: extra }, (_, i) => 21 + i)
  for (const n of [...SHORTLIST, ...extraNumbers])
    moveCard(doc, id(n), 'shortlist', undefined, { now: minutes(110) })
  for (const n of SHORTLIST) {
    setCriterion(doc, id(n), 'regionaal', true)
    setCriterion(doc, id(n), 'bijdrage-ambities', true)
    if (n % 2 === 1) setCriterion(doc, id(n), 'draagvlak', true)
  }
  linkCards(doc, id(7), id(8), 'koppelkans', 'Vrijetijdseconomie: zelfde ondernemers en promotie')
  linkCards(doc, id(4), id(14), 'dilemma', 'Ruimte voor zonnevelden tegenover natuur en recreatie')
  setPhase(doc, 'afgerond', undefined, minutes(135))
}
