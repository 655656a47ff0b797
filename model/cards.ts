import { nanoid } from 'nanoid'
import * as Y from 'yjs'
import { readValue, replaceText, toStored } from './fields.js'
import { CardKey, type CardMap, cardsOf, isReservedKey, requireCard, templateOf } from './layout.js'
import { compareOrdered, keyAfterAll, keysForMove, type Ordered } from './order.js'
import { cardNumbers, laneOf, listCards, readCard } from './read.js'
import type { FieldDef, FieldValues } from './template.js'

/**
 * Operations on cards. Each runs in one Y.Doc transaction (tagged with `origin` when given), so a
 * view or binding can tell its own changes from remote ones.
 */
export interface OpOptions {
  origin?: unknown
  now?: number
}

export interface NewCard {
  id?: string
  lane?: string
  fields?: FieldValues
  pos?: { x: number; y: number }
  /** A number for the card; kept when free on this board, otherwise the next free number is used. */
  number?: number
}

export function createCard(doc: Y.Doc, init: NewCard = {}, options: OpOptions = {}): string {
  return createCards(doc, [init], options)[0] as string
}

/** Creates several cards in one transaction, appended in the given order at the end of their lanes. */
export function createCards(doc: Y.Doc, inits: readonly NewCard[], options: OpOptions = {}): string[] {
  const template = templateOf(doc)
  const now = options.now ?? Date.now()
  const ids: string[] = []
  doc.transact(() => {
    const numbers = new Set(cardNumbers(doc).values())
    let next = Math.max(0, ...numbers) + 1
    const tails = new Map<string, Ordered[]>()
    for (const init of inits) {
      const lane = template.lanes.some((l) => l.id === init.lane) ? (init.lane as string) : defaultLane(doc)
      if (!tails.has(lane)) tails.set(lane, laneOrder(doc, lane))
      const inLane = tails.get(lane) as Ordered[]
      const id = init.id ?? nanoid()
      const order = keyAfterAll(inLane)
      inLane.push({ id, order })

      let number = init.number
      if (number === undefined || !Number.isSafeInteger(number) || number < 1 || numbers.has(number)) {
        while (numbers.has(next)) next++
        number = next
      }
      numbers.add(number)

      const card: CardMap = new Y.Map()
      for (const def of template.fields) card.set(def.id, toStored(def, init.fields?.[def.id]))
      for (const [key, value] of Object.entries(init.fields ?? {})) {
        if (!template.fields.some((def) => def.id === key) && !isReservedKey(key)) {
          card.set(key, toStored(undefined, value))
        }
      }
      card.set(CardKey.lane, lane)
      card.set(CardKey.order, order)
      card.set(CardKey.number, number)
      card.set(CardKey.createdAt, now)
      card.set(CardKey.updatedAt, now)
      if (init.pos) card.set(CardKey.pos, { x: init.pos.x, y: init.pos.y })
      cardsOf(doc).set(id, card)
      ids.push(id)
    }
  }, options.origin)
  return ids
}

/**
 * The Y.Text of a text field (or of one period of a `periods` field), created when the card does not
 * hold one yet. Bindings (text editors) attach to it directly.
 */
export function fieldText(doc: Y.Doc, cardId: string, fieldId: string, part?: string): Y.Text {
  const card = requireCard(doc, cardId)
  let text: Y.Text | undefined
  doc.transact(() => {
    const firstPeriod = templateOf(doc).fields.find((def) => def.id === fieldId)?.periods?.[0]?.id
    const holder = part === undefined ? card : ensureMap(card, fieldId, firstPeriod)
    const key = part ?? fieldId
    const current = holder.get(key)
    if (current instanceof Y.Text) {
      text = current
    } else {
      text = new Y.Text(typeof current === 'string' ? current : '')
      holder.set(key, text)
    }
  })
  return text as Y.Text
}

/** Sets a text field (or one period) to `value`, changing only the part that differs. */
export function setText(
  doc: Y.Doc,
  cardId: string,
  fieldId: string,
  value: string,
  options: OpOptions & { part?: string } = {},
): void {
  doc.transact(() => {
    replaceText(fieldText(doc, cardId, fieldId, options.part), value)
    touch(doc, cardId, options)
  }, options.origin)
}

/** Sets a single-choice field; `null` clears it. */
export function setChoice(
  doc: Y.Doc,
  cardId: string,
  fieldId: string,
  option: string | null,
  options: OpOptions = {},
): void {
  doc.transact(() => {
    requireCard(doc, cardId).set(fieldId, option)
    touch(doc, cardId, options)
  }, options.origin)
}

/** Switches one option of a multi-choice field (e.g. a theme) on or off. */
export function toggleOption(
  doc: Y.Doc,
  cardId: string,
  fieldId: string,
  option: string,
  on: boolean,
  options: OpOptions = {},
): void {
  doc.transact(() => {
    const card = requireCard(doc, cardId)
    let set = card.get(fieldId)
    if (!(set instanceof Y.Map)) {
      const def: FieldDef = { id: fieldId, kind: 'multi-choice', label: fieldId }
      set = toStored(def, readValue(def, set))
      card.set(fieldId, set)
    }
    if (on) (set as Y.Map<boolean>).set(option, true)
    else (set as Y.Map<boolean>).delete(option)
    touch(doc, cardId, options)
  }, options.origin)
}

/** Inserts an item into a list field (e.g. a party), at the end unless `index` is given. */
export function addListItem(
  doc: Y.Doc,
  cardId: string,
  fieldId: string,
  item: string,
  options: OpOptions & { index?: number } = {},
): void {
  doc.transact(() => {
    const list = ensureList(requireCard(doc, cardId), fieldId)
    const at = Math.max(0, Math.min(options.index ?? list.length, list.length))
    list.insert(at, [item])
    touch(doc, cardId, options)
  }, options.origin)
}

export function removeListItem(
  doc: Y.Doc,
  cardId: string,
  fieldId: string,
  index: number,
  options: OpOptions = {},
): void {
  doc.transact(() => {
    const list = ensureList(requireCard(doc, cardId), fieldId)
    if (index >= 0 && index < list.length) list.delete(index, 1)
    touch(doc, cardId, options)
  }, options.origin)
}

/**
 * Moves a card to `index` within `lane` (the end when omitted). Writes only this card's lane (when it
 * changes) and order. Who moved it and when (`movedBy`, `movedAt`) is not the client's to say: the
 * server writes them for every lane change it stores (server/realtime/attribution.ts).
 */
export function moveCard(
  doc: Y.Doc,
  cardId: string,
  lane: string,
  index?: number,
  options: OpOptions = {},
): void {
  const template = templateOf(doc)
  if (!template.lanes.some((l) => l.id === lane)) throw new Error(`Unknown lane: ${lane}`)
  doc.transact(() => {
    const card = requireCard(doc, cardId)
    const others = laneOrder(doc, lane).filter((c) => c.id !== cardId)
    const { key, rekey } = keysForMove(others, index ?? others.length)
    if (rekey) requireCard(doc, rekey.id).set(CardKey.order, rekey.key)
    if (card.get(CardKey.lane) !== lane) card.set(CardKey.lane, lane)
    card.set(CardKey.order, key)
    touch(doc, cardId, options)
  }, options.origin)
}

/** Moves a card `delta` places up (negative) or down (positive) within its lane. */
export function reorderCard(doc: Y.Doc, cardId: string, delta: number, options: OpOptions = {}): void {
  const card = requireCard(doc, cardId)
  const lane = laneOf(card, templateOf(doc))
  const current = laneOrder(doc, lane).findIndex((c) => c.id === cardId)
  moveCard(doc, cardId, lane, Math.max(0, current + delta), options)
}

/** Canvas position: its own key, so moving a card never touches its content. */
export function setPosition(
  doc: Y.Doc,
  cardId: string,
  pos: { x: number; y: number },
  options: OpOptions = {},
): void {
  if (!Number.isFinite(pos.x) || !Number.isFinite(pos.y)) throw new Error('Position must be finite')
  doc.transact(() => {
    requireCard(doc, cardId).set(CardKey.pos, { x: pos.x, y: pos.y })
  }, options.origin)
}

/** Copies a card's fields into a new card placed right after it in the same lane. Returns the new id. */
export function duplicateCard(doc: Y.Doc, cardId: string, options: OpOptions = {}): string {
  const original = readCard(doc, cardId)
  if (!original) throw new Error(`Unknown card: ${cardId}`)
  let id = ''
  doc.transact(() => {
    const pos = original.pos ? { x: original.pos.x + 40, y: original.pos.y + 40 } : undefined
    id = createCard(doc, { lane: original.lane, fields: original.fields, ...(pos ? { pos } : {}) }, options)
    const index = laneOrder(doc, original.lane).findIndex((card) => card.id === cardId)
    moveCard(doc, id, original.lane, index + 1, options)
  }, options.origin)
  return id
}

/** Ticks (or unticks) one of the template's selection criteria on a card. */
export function setCriterion(
  doc: Y.Doc,
  cardId: string,
  criterionId: string,
  met: boolean,
  options: OpOptions = {},
): void {
  doc.transact(() => {
    const card = requireCard(doc, cardId)
    let criteria = card.get(CardKey.criteria)
    if (!(criteria instanceof Y.Map)) {
      criteria = new Y.Map<boolean>()
      card.set(CardKey.criteria, criteria)
    }
    if (met) (criteria as Y.Map<boolean>).set(criterionId, true)
    else (criteria as Y.Map<boolean>).delete(criterionId)
  }, options.origin)
}

/** Soft delete: the card keeps all its content and can be restored. */
export function deleteCard(doc: Y.Doc, cardId: string, options: OpOptions = {}): void {
  doc.transact(() => {
    requireCard(doc, cardId).set(CardKey.deletedAt, options.now ?? Date.now())
  }, options.origin)
}

export function restoreCard(doc: Y.Doc, cardId: string, options: OpOptions = {}): void {
  doc.transact(() => {
    const card = requireCard(doc, cardId)
    card.delete(CardKey.deletedAt)
    touch(doc, cardId, options)
  }, options.origin)
}

/** Records that a card was edited now. For editors that change a card's Y.Text directly. */
export function markEdited(doc: Y.Doc, cardId: string, options: OpOptions = {}): void {
  doc.transact(
    () => requireCard(doc, cardId).set(CardKey.updatedAt, options.now ?? Date.now()),
    options.origin,
  )
}

const touch = markEdited

/** The Y.Map under `key`; a text another client stored there is kept under `textKey`. */
function ensureMap(card: CardMap, key: string, textKey = 'tekst'): Y.Map<unknown> {
  const current = card.get(key)
  if (current instanceof Y.Map) return current
  const map = new Y.Map<unknown>()
  if (current instanceof Y.Text || typeof current === 'string')
    map.set(textKey, new Y.Text(current.toString()))
  card.set(key, map)
  return map
}

function ensureList(card: CardMap, key: string): Y.Array<string> {
  const current = card.get(key)
  if (current instanceof Y.Array) return current as Y.Array<string>
  const list = Y.Array.from(readValue({ id: key, kind: 'list', label: key }, current) as string[])
  card.set(key, list)
  return list
}

/** The live cards of a lane, in order (deleted cards keep their key but take no place). */
function laneOrder(doc: Y.Doc, lane: string): Ordered[] {
  return listCards(doc, { lane })
    .map(({ id, order }) => ({ id, order }))
    .sort(compareOrdered)
}

function defaultLane(doc: Y.Doc): string {
  return templateOf(doc).lanes[0]?.id ?? 'longlist'
}
