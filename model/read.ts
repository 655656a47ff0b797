import type * as Y from 'yjs'
import { readValue } from './fields.js'
import { CardKey, type CardMap, cardsOf, isCardMap, isReservedKey, templateOf } from './layout.js'
import { compareOrdered } from './order.js'
import {
  type BoardTemplate,
  type FieldDef,
  type FieldValue,
  type FieldValues,
  optionsOf,
} from './template.js'
import { TITLE_FIELD, themeField } from './views/title.js'

/** A plain, read-only view of one card. Never stored: always derived from the Y.Doc. */
export interface CardView {
  id: string
  number: number
  lane: string
  order: string
  pos: { x: number; y: number } | null
  fields: FieldValues
  createdAt: number | null
  updatedAt: number | null
  deletedAt: number | null
  /** The last move to another lane: when, and by whom (as the mover's browser named them). */
  moved: { at: number; by: string | null } | null
  /** The template's selection criteria this card meets (ids, in template order). */
  criteria: string[]
}

export interface ListOptions {
  /** Only cards of this lane; all lanes (in template order) when omitted. */
  lane?: string
  includeDeleted?: boolean
}

/** All cards, sorted by lane (template order) and by order within the lane. */
export function listCards(doc: Y.Doc, options: ListOptions = {}): CardView[] {
  const template = templateOf(doc)
  const numbers = cardNumbers(doc)
  const cards: CardView[] = []
  for (const [id, value] of cardsOf(doc).entries()) {
    if (!isCardMap(value)) continue
    const card = view(id, value, template, numbers.get(id) ?? 0)
    if (card.deletedAt !== null && !options.includeDeleted) continue
    if (options.lane !== undefined && card.lane !== options.lane) continue
    cards.push(card)
  }
  const laneRank = new Map(template.lanes.map((lane, i) => [lane.id, i]))
  return cards.sort(
    (a, b) => (laneRank.get(a.lane) ?? 0) - (laneRank.get(b.lane) ?? 0) || compareOrdered(a, b),
  )
}

export function readCard(doc: Y.Doc, id: string): CardView | undefined {
  return cardView(doc, id, cardNumbers(doc).get(id) ?? 0)
}

/** Like readCard, with the card's number already known (numbering looks at every card). */
export function cardView(doc: Y.Doc, id: string, number: number): CardView | undefined {
  const value = cardsOf(doc).get(id)
  if (!isCardMap(value)) return undefined
  return view(id, value, templateOf(doc), number)
}

/**
 * What a card face shows (the list view, the canvas, the phone, the beamer, the ranking): the card's
 * number and lane, the criteria it meets, and of its fields only the actie (its title) and its themes.
 * A face is read for every card of a long board as it first renders, and again whenever anything in
 * its card changes: reading only these keeps both cheap, and an edit of another field (the doel, the
 * planning) reads the same, so the face does not render again.
 */
export interface CardFaceView {
  id: string
  number: number
  lane: string
  /** The actie and the theme field (`themeField`), read as in `CardView.fields`; no other field. */
  fields: FieldValues
  criteria: string[]
}

export function cardFaceView(doc: Y.Doc, id: string, number: number): CardFaceView | undefined {
  const card = cardsOf(doc).get(id)
  if (!isCardMap(card)) return undefined
  const template = templateOf(doc)
  const shown = new Set([TITLE_FIELD, themeField(template)?.id])
  const fields: FieldValues = {}
  for (const def of template.fields) if (shown.has(def.id)) fields[def.id] = readField(card, template, def)
  // A template without an actie field: the card may still hold one (an extra field), as in CardView.
  if (!(TITLE_FIELD in fields) && card.has(TITLE_FIELD))
    fields[TITLE_FIELD] = readValue(undefined, card.get(TITLE_FIELD))
  return { id, number, lane: laneOf(card, template), fields, criteria: criteriaOf(card, template) }
}

function view(id: string, card: CardMap, template: BoardTemplate, number: number): CardView {
  const fields: FieldValues = {}
  for (const def of template.fields) fields[def.id] = readField(card, template, def)
  const extra = [...card.keys()].filter((key) => !isReservedKey(key) && !(key in fields)).sort()
  for (const key of extra) fields[key] = readValue(undefined, card.get(key))
  return {
    id,
    number,
    lane: laneOf(card, template),
    order: stringOr(card.get(CardKey.order), ''),
    pos: posOf(card.get(CardKey.pos)),
    fields,
    createdAt: numberOrNull(card.get(CardKey.createdAt)),
    updatedAt: numberOrNull(card.get(CardKey.updatedAt)),
    deletedAt: numberOrNull(card.get(CardKey.deletedAt)),
    moved: movedOf(card),
    criteria: criteriaOf(card, template),
  }
}

/** One of the template's fields of a card, as plain JSON (sets in the template's option order). */
function readField(card: CardMap, template: BoardTemplate, def: FieldDef): FieldValue {
  return readValue(
    def,
    card.get(def.id),
    optionsOf(template, def).map((option) => option.id),
  )
}

/** A card whose lane is missing or unknown to the template reads as being in the first lane. */
export function laneOf(card: CardMap, template: BoardTemplate): string {
  const lane = card.get(CardKey.lane)
  const first = template.lanes[0]?.id ?? 'longlist'
  return typeof lane === 'string' && template.lanes.some((l) => l.id === lane) ? lane : first
}

/**
 * Card numbers, derived deterministically from the stored `number` keys. A card keeps its stored
 * number unless another card holds the same number (two cards created at once, offline): then the
 * earliest created (ties: lowest id) keeps it and the others, like cards without a number, are
 * numbered after the highest number, in creation order. Every client computes the same result.
 */
export function cardNumbers(doc: Y.Doc): Map<string, number> {
  const entries: { id: string; number: number; createdAt: number }[] = []
  for (const [id, value] of cardsOf(doc).entries()) {
    if (!isCardMap(value)) continue
    const n = value.get(CardKey.number)
    entries.push({
      id,
      number: typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : 0,
      createdAt: numberOrNull(value.get(CardKey.createdAt)) ?? 0,
    })
  }
  entries.sort((a, b) => a.number - b.number || a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
  const result = new Map<string, number>()
  const taken = new Set<number>()
  const rest: typeof entries = []
  let max = 0
  for (const entry of entries) {
    if (entry.number > 0 && !taken.has(entry.number)) {
      taken.add(entry.number)
      result.set(entry.id, entry.number)
      max = Math.max(max, entry.number)
    } else {
      rest.push(entry)
    }
  }
  rest.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
  for (const entry of rest) result.set(entry.id, ++max)
  return result
}

function criteriaOf(card: CardMap, template: BoardTemplate): string[] {
  const met = card.get(CardKey.criteria)
  if (!met || typeof (met as { get?: unknown }).get !== 'function') return []
  const map = met as { get(key: string): unknown }
  return (template.criteria ?? []).map((criterion) => criterion.id).filter((id) => map.get(id) === true)
}

function movedOf(card: CardMap): CardView['moved'] {
  const at = numberOrNull(card.get(CardKey.movedAt))
  if (at === null) return null
  const by = card.get(CardKey.movedBy)
  return { at, by: typeof by === 'string' ? by : null }
}

function posOf(value: unknown): { x: number; y: number } | null {
  if (!value || typeof value !== 'object') return null
  const { x, y } = value as { x?: unknown; y?: unknown }
  return typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y)
    ? { x, y }
    : null
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

/** Where a card is on the board, without its fields: what a view's layout needs. */
export interface CardPlace {
  id: string
  lane: string
  order: string
  deletedAt: number | null
}

/**
 * Every card's place (deleted ones included), in the order of `listCards`: by lane, then order. Reads
 * four keys per card, not its texts: on a board of 1,000 cards a view's layout is re-read in a few ms.
 */
export function cardPlaces(doc: Y.Doc): CardPlace[] {
  const template = templateOf(doc)
  const places: CardPlace[] = []
  for (const [id, value] of cardsOf(doc).entries()) {
    if (!isCardMap(value)) continue
    places.push({
      id,
      lane: laneOf(value, template),
      order: stringOr(value.get(CardKey.order), ''),
      deletedAt: numberOrNull(value.get(CardKey.deletedAt)),
    })
  }
  const laneRank = new Map(template.lanes.map((lane, i) => [lane.id, i]))
  return places.sort(
    (a, b) => (laneRank.get(a.lane) ?? 0) - (laneRank.get(b.lane) ?? 0) || compareOrdered(a, b),
  )
}

/** Per card (deleted ones included), the selection criteria it meets; as `CardView.criteria`. */
export function criteriaByCard(doc: Y.Doc): Map<string, string[]> {
  const template = templateOf(doc)
  const met = new Map<string, string[]>()
  for (const [id, value] of cardsOf(doc).entries())
    if (isCardMap(value)) met.set(id, criteriaOf(value, template))
  return met
}
