import * as Y from 'yjs'
import { templateOf } from '../../model/layout.js'
import type { Action } from '../../model/phases.js'
import { type CraftedItem, lengthOf, type Struct, update } from '../hostile/craft.js'

/**
 * What an update really does to a board: it is applied to a scratch copy, and the board before and
 * after are compared as a reader sees them (every card's keys, every other top-level type), each
 * difference named by the rules' actions. Written independently of server/rules/update-scope.ts, which
 * predicts the same without applying anything: the differential tests compare the two.
 */
export function effectOf(doc: Y.Doc, payload: Uint8Array): { actions: Set<Action>; after: Y.Doc } {
  const after = new Y.Doc()
  Y.applyUpdate(after, Y.encodeStateAsUpdate(doc))
  const before = view(after)
  Y.applyUpdate(after, payload)
  const now = view(after)
  const firstLane = templateOf(doc).lanes[0]?.id ?? 'longlist'
  const actions = new Set<Action>()
  for (const root of new Set([...Object.keys(before.roots), ...Object.keys(now.roots)])) {
    if (before.roots[root] === now.roots[root]) continue
    actions.add(
      root === 'meta' ? 'meta' : root === 'canvas' ? 'canvas' : root === 'votes' ? 'votes' : 'other',
    )
  }
  if (before.cardsList !== now.cardsList) actions.add('other')
  for (const id of new Set([...before.cards.keys(), ...now.cards.keys()])) {
    const was = before.cards.get(id)
    const is = now.cards.get(id)
    if (was && (!is || is.item !== was.item)) actions.add('card.remove')
    if (!is) continue
    if (!was || is.item !== was.item) {
      actions.add('card.create')
      for (const [key, value] of is.keys) {
        if (key === 'lane' && value !== JSON.stringify(firstLane)) actions.add('card.lane')
        if (key === 'movedAt' || key === 'movedBy') actions.add('card.attribution')
      }
      continue
    }
    if (is.list !== was.list) actions.add('card.content')
    for (const key of new Set([...was.keys.keys(), ...is.keys.keys()])) {
      if (was.keys.get(key) !== is.keys.get(key)) actions.add(cardKeyAction(key))
    }
  }
  return { actions, after }
}

function cardKeyAction(key: string): Action {
  switch (key) {
    case 'lane':
      return 'card.lane'
    case 'movedAt':
    case 'movedBy':
    case 'number':
    case 'createdAt':
      return 'card.attribution'
    case 'order':
      return 'card.order'
    case 'pos':
      return 'card.pos'
    case 'deletedAt':
      return 'card.delete'
    case 'updatedAt':
      return 'card.touch'
    case 'criteria':
      return 'card.criteria'
    default:
      return 'card.content'
  }
}

interface CardView {
  /** Which Y.Map holds the card (a replaced card is another one, even with equal content). */
  item: string
  keys: Map<string, string>
  list: string
}

/** A name for each card map, to tell a replaced card from the one before it. */
const typeIds = new WeakMap<object, number>()
let nextTypeId = 0
function identity(item: Y.Item): string {
  const content = item.content
  if (!(content instanceof Y.ContentType)) return `value ${JSON.stringify(valueJson(item))}`
  let id = typeIds.get(content.type)
  if (id === undefined) {
    id = nextTypeId++
    typeIds.set(content.type, id)
  }
  return `map ${id}`
}

function view(doc: Y.Doc) {
  const roots: Record<string, string> = {}
  const cards = new Map<string, CardView>()
  let cardsList = '[]'
  for (const [name, type] of doc.share) {
    if (name !== 'cards') {
      roots[name] = JSON.stringify(typeJson(type))
      continue
    }
    cardsList = JSON.stringify(listJson(type))
    for (const [id, item] of type._map) {
      if (item.deleted) continue
      const content = item.content
      if (!(content instanceof Y.ContentType)) {
        cards.set(id, { item: identity(item), keys: new Map(), list: 'value' })
        continue
      }
      const keys = new Map<string, string>()
      for (const [key, child] of content.type._map) {
        if (!child.deleted) keys.set(key, JSON.stringify(valueJson(child)))
      }
      cards.set(id, {
        item: identity(item),
        keys,
        list: JSON.stringify(listJson(content.type)),
      })
    }
  }
  return { roots, cards, cardsList }
}

function valueJson(item: Y.Item): unknown {
  const content = item.content
  if (content instanceof Y.ContentType) return typeJson(content.type)
  const values = content.getContent()
  return values[values.length - 1] ?? null
}

function typeJson(type: AnyType): unknown {
  const map: Record<string, unknown> = {}
  const keys = [...type._map.keys()].sort() // the same content reads the same, whatever the history
  for (const key of keys) {
    const item = type._map.get(key) as Y.Item
    if (!item.deleted) map[key] = valueJson(item)
  }
  return { map, list: listJson(type) }
}

function listJson(type: AnyType): unknown[] {
  const list: unknown[] = []
  for (let item = type._start; item; item = item.right) {
    if (item.deleted) continue
    const content = item.content
    if (content instanceof Y.ContentType) list.push(typeJson(content.type))
    else list.push(...content.getContent())
  }
  return list
}

const ATTRIBUTION = new Set(['number', 'createdAt', 'movedAt', 'movedBy'])

/** A board's content as readers see it, without what the server writes itself (attribution). */
export function contentOf(doc: Y.Doc): unknown {
  const { roots, cards, cardsList } = view(doc)
  const cardKeys = [...cards]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([id, card]) => [id, [...card.keys].filter(([key]) => !ATTRIBUTION.has(key)).sort(), card.list])
  const sortedRoots = Object.keys(roots)
    .sort()
    .map((name) => [name, roots[name]])
  return { roots: sortedRoots, cards: cardKeys, cardsList }
}

/** A seeded random number generator (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const VALUES: unknown[] = ['longlist', 'shortlist', 1, 0, 2, 'Iemand anders', null, { x: 1, y: 2 }, true]
const KEYS = ['lane', 'number', 'createdAt', 'movedBy', 'movedAt', 'actie', 'order', 'pos', 'deletedAt']

/**
 * A random participant update against `doc`, crafted item by item (as no Yjs client would write it):
 * new cards and keys, values of several items, items placed after or before any item of the board
 * (which then take its parent and key), deleted runs, and deletions of existing items. It refers only
 * to items the board has, so the server does not drop it as incomplete.
 */
export function randomUpdate(doc: Y.Doc, rnd: () => number, client: number): Uint8Array {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T
  // Items of the board to refer to, and the card maps (as parents).
  const items: Y.Item[] = []
  for (const structs of doc.store.clients.values()) {
    for (const struct of structs) if (struct instanceof Y.Item) items.push(struct)
  }
  const cardMaps = [...doc.getMap('cards')._map.values()].filter(
    (item) => item.content instanceof Y.ContentType,
  )
  const structs: Struct[] = []
  const mine: { clock: number; map: boolean }[] = []
  let clock = 0
  const count = 1 + Math.floor(rnd() * 3)
  for (let i = 0; i < count; i++) {
    const item: CraftedItem = {}
    const placement = rnd()
    if (placement < 0.25 && items.length > 0) {
      // After an existing item (its last clock): Yjs gives it that item's parent and key.
      const left = pick(items)
      item.origin = [left.id.client, left.id.clock + Math.floor(rnd() * left.length)]
      if (rnd() < 0.2 && left.right) item.rightOrigin = [left.right.id.client, left.right.id.clock]
    } else if (placement < 0.35 && items.length > 0) {
      const right = pick(items)
      item.rightOrigin = [right.id.client, right.id.clock]
    } else if (placement < 0.55) {
      item.parent = pick(['cards', 'cards', 'meta', 'canvas', 'votes', 'eigen'])
      item.key =
        item.parent === 'cards'
          ? rnd() < 0.6 && cardMaps.length > 0
            ? (pick(cardMaps).parentSub as string)
            : `nieuw${Math.floor(rnd() * 3)}`
          : pick(['x', 'phase', 'title'])
    } else {
      const ownMaps = mine.filter((m) => m.map)
      if (ownMaps.length > 0 && rnd() < 0.6) item.parent = [client, pick(ownMaps).clock]
      else if (cardMaps.length > 0) {
        const card = pick(cardMaps)
        item.parent = [card.id.client, card.id.clock]
      } else item.parent = 'cards'
      if (rnd() < 0.9) item.key = pick(KEYS)
    }
    const kind = rnd()
    if (kind < 0.6) item.any = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(VALUES))
    else if (kind < 0.75) item.deleted = 1 + Math.floor(rnd() * 2)
    else item.type = rnd() < 0.8 ? 'map' : 'text'
    const struct: Struct = { item }
    mine.push({ clock, map: item.type === 'map' })
    structs.push(struct)
    clock += lengthOf(struct)
  }
  const deletes: [number, number, number][] = []
  if (rnd() < 0.3 && items.length > 0) {
    const target = pick(items)
    deletes.push([target.id.client, target.id.clock, 1])
  }
  return update([{ client, clock: 0, structs }], deletes)
}

// biome-ignore lint/suspicious/noExplicitAny: Yjs types differ only in their event type
type AnyType = Y.AbstractType<any>
