import * as Y from 'yjs'
import { templateOf } from '../../model/layout.js'
import type { Action } from '../../model/phases.js'

/**
 * What a document update changes, without applying it: every inserted item and every deletion is
 * traced to where it lives in the board (`cards.<id>.lane`, `meta.title`, `canvas.<record>` …) and
 * classified as an Action. Items are found in the update itself or in the room's doc; an item whose
 * place cannot be traced (it depends on content the server does not have) is reported as unknown.
 *
 * The classification follows what Yjs does when it applies the update, erring on the side of "more":
 * - a map item may hold several values; Yjs shows the last one, so every value is looked at;
 * - a new item under a map key that already has a value (in the doc, in an update being stored, or
 *   another item of this update) replaces it: Yjs deletes the old value even when the update's delete
 *   set does not say so, so that deletion is classified too (replacing a card is removing it);
 * - an item without a parent of its own takes its neighbour's parent and key, as Yjs does.
 * test/server/scope-fuzz.test.ts checks this against the real difference on a scratch copy.
 */
export interface Scope {
  actions: Set<Action>
  /** For each action, one place it touches ("cards.<id>.lane"), for log lines. */
  where: Map<Action, string>
  /** Some change could not be traced to a place in the board. */
  unknown: boolean
}

interface Place {
  root: string
  path: string[]
  /**
   * The item sits under a key of a map (it is, or was, that key's value): when it becomes the key's
   * value, Yjs deletes the value before it, whether or not the update's delete set says so.
   */
  keyed: boolean
  /** Under a card: the item holding that card's map (a card replaced in the same update is another). */
  card?: Y.Item
}

/** An update decoded once (`Y.decodeUpdate`), to be checked and looked into without decoding again. */
export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>
type Struct = DecodedUpdate['structs'][number]

/**
 * `pending`: the structs of updates accepted but not yet applied to the doc (still being stored),
 * decoded once when they were accepted.
 */
export function scopeOf(
  doc: Y.Doc,
  update: Uint8Array | DecodedUpdate,
  pending: readonly (readonly Struct[])[] = [],
): Scope {
  const { structs, ds } = update instanceof Uint8Array ? Y.decodeUpdate(update) : update
  // Items of this update, and of updates accepted but not yet applied to the doc (still being stored).
  const fresh = new Map<number, Y.Item[]>()
  const index = (list: readonly unknown[]) => {
    for (const struct of list) {
      if (!(struct instanceof Y.Item)) continue
      const items = fresh.get(struct.id.client) ?? []
      items.push(struct)
      fresh.set(struct.id.client, items)
    }
  }
  index(structs)
  /** Per client, the clock up to which accepted-but-not-yet-applied updates reach. */
  const pendingUpTo = new Map<number, number>()
  for (const pendingStructs of pending) {
    index(pendingStructs)
    for (const { id, length } of pendingStructs) {
      if (id.clock + length > (pendingUpTo.get(id.client) ?? 0)) pendingUpTo.set(id.client, id.clock + length)
    }
  }
  const scope: Scope = { actions: new Set(), where: new Map(), unknown: false }
  /** The items of this update that hold a new card's map. */
  const newCards = new Set<Y.Item>()
  const places: { place: Place; deleted: boolean; values: unknown[] }[] = []

  /** The length left of a garbage-collected struct of the doc at (client, clock); 0 when there is none. */
  const collectedLength = (client: number, clock: number): number => {
    if (clock >= Y.getState(doc.store, client)) return 0
    const structs = doc.store.clients.get(client) as Y.AbstractStruct[] | undefined
    if (!structs) return 0
    try {
      const struct = structs[Y.findIndexSS(structs as never, clock)]
      return struct && !(struct instanceof Y.Item) ? struct.id.clock + struct.length - clock : 0
    } catch {
      return 0
    }
  }

  const findItem = (id: Y.ID): Y.Item | null => {
    for (const item of fresh.get(id.client) ?? []) {
      if (id.clock >= item.id.clock && id.clock < item.id.clock + item.length) return item
    }
    if (id.clock >= Y.getState(doc.store, id.client)) return null
    try {
      const found = Y.getItem(doc.store, id) as Y.Item | Y.AbstractStruct
      return found instanceof Y.Item ? found : null
    } catch {
      return null
    }
  }

  const known = new Map<Y.Item, Place | null>()
  const resolving = new Set<Y.Item>()
  /**
   * Where an item sits: its parent type's place, plus its key in a map. An item without an encoded
   * parent shares its neighbour's; such chains are walked iteratively (a hostile update may chain
   * thousands of items) and every result is remembered.
   */
  const placeOf = (start: Y.Item): Place | null => {
    const chain: Y.Item[] = []
    let item: Y.Item | null = start
    let place: Place | null = null
    while (item) {
      if (known.has(item)) {
        place = known.get(item) ?? null
        break
      }
      if (resolving.has(item) || chain.includes(item)) break // a cycle in a hostile update
      const parent = item.parent as unknown
      if (parent !== null && parent !== undefined) {
        resolving.add(item)
        try {
          place = ownPlace(item, parent)
        } finally {
          resolving.delete(item)
        }
        known.set(item, place)
        break
      }
      chain.push(item)
      item =
        (item.origin && findItem(item.origin)) || (item.rightOrigin && findItem(item.rightOrigin)) || null
    }
    for (const link of chain) known.set(link, place)
    return place
  }
  /** The place of an item whose parent is encoded (a root name or a type's item) or integrated. */
  const ownPlace = (item: Y.Item, parent: unknown): Place | null => {
    let base: Place | null = null
    if (typeof parent === 'string') base = { root: parent, path: [], keyed: false }
    else if (parent instanceof Y.AbstractType) base = placeOfType(parent)
    else if (typeof parent === 'object' && parent !== null && 'client' in parent) {
      const holder = findItem(parent as Y.ID)
      base = holder ? placeOfTypeItem(holder) : null
    }
    if (!base) return null
    const sub = item.parentSub
    const card = base.card
    return sub === null || sub === undefined
      ? { root: base.root, path: base.path, keyed: false, card }
      : { root: base.root, path: [...base.path, sub], keyed: true, card }
  }
  /** The place of the type an item holds (the item is its container). */
  const placeOfTypeItem = (item: Y.Item): Place | null => {
    const place = placeOf(item)
    if (!place) return null
    // Whether the holder sits under a key: its place says (an item placed by its neighbour gets the
    // neighbour's key only when Yjs integrates it; `item.parentSub` is not set yet).
    if (!place.keyed) return { ...place, path: [...place.path, '[]'], keyed: false }
    return place.root === 'cards' && place.path.length === 1 ? { ...place, card: item } : place
  }
  const placeOfType = (type: Y.AbstractType<unknown>): Place | null => {
    if (type._item === null) {
      try {
        return { root: Y.findRootTypeKey(type), path: [], keyed: false }
      } catch {
        return null
      }
    }
    return placeOfTypeItem(type._item)
  }

  // What the server already has (stored, or accepted and being stored): repeating it changes nothing.
  const isKnown = (struct: Y.Item) =>
    struct.id.clock + struct.length <=
    Math.max(Y.getState(doc.store, struct.id.client), pendingUpTo.get(struct.id.client) ?? 0)

  /** New items of this update under a map key, by place: they may replace that key's value. */
  const keyedItems = new Map<string, Place[]>()
  for (const struct of structs as Struct[]) {
    if (!(struct instanceof Y.Item) || isKnown(struct)) continue
    const place = placeOf(struct)
    if (!place) scope.unknown = true
    else {
      // A plain value written (e.g. a new card's lane): every value of its content, as Yjs shows the last.
      const content = struct.content as { getContent?: () => unknown[] }
      const values = typeof content.getContent === 'function' ? content.getContent() : []
      places.push({ place, deleted: false, values })
      if (place.root === 'cards' && place.path.length === 1 && place.keyed) newCards.add(struct)
      if (place.keyed) {
        const key = placeKey(place)
        keyedItems.set(key, [...(keyedItems.get(key) ?? []), place])
      }
    }
  }
  // A key that already has a value loses it to the new item (or to one of several new items).
  let pendingKeys: Set<string> | null = null
  const keyedPending = (): Set<string> => {
    if (pendingKeys) return pendingKeys
    pendingKeys = new Set()
    for (const pendingStructs of pending) {
      for (const struct of pendingStructs) {
        if (!(struct instanceof Y.Item)) continue
        const place = placeOf(struct)
        if (place?.keyed) pendingKeys.add(placeKey(place))
      }
    }
    return pendingKeys
  }
  for (const [key, items] of keyedItems) {
    const place = items[0] as Place
    if (items.length > 1 || hasValue(doc, place) || keyedPending().has(key)) {
      places.push({ place, deleted: true, values: [] })
    }
  }
  for (const [client, deletes] of ds.clients) {
    for (const { clock, len } of deletes) {
      for (let c = clock; c < clock + len; ) {
        const item = findItem({ client, clock: c } as Y.ID)
        if (!item) {
          // Garbage-collected content (already deleted) changes nothing: skip it and check the rest of
          // the range. Beyond what the server knows there is nothing to delete.
          const gcLength = collectedLength(client, c)
          if (gcLength === 0) break
          c += gcLength
          continue
        }
        c = item.id.clock + item.length
        // Updates carry the sender's whole delete set: only deletions that change something count.
        if (item.deleted) continue
        const place = placeOf(item)
        if (place) places.push({ place, deleted: true, values: [] })
        else scope.unknown = true
      }
    }
  }
  const firstLane = templateOf(doc).lanes[0]?.id ?? 'longlist'
  for (const { place, deleted, values } of places) {
    const action = classify(place, deleted, newCards, values, firstLane)
    scope.actions.add(action)
    if (!scope.where.has(action)) scope.where.set(action, [place.root, ...place.path].join('.'))
  }
  return scope
}

/** A place as one string, for comparing places. */
function placeKey(place: Place): string {
  return [place.root, ...place.path].join('\u0000')
}

/**
 * Whether the doc holds a live value at a map key's place. A place inside a list ("[]") cannot be
 * followed by keys: it counts as holding one.
 */
function hasValue(doc: Y.Doc, place: Place): boolean {
  if (place.path.includes('[]')) return true
  let type = doc.share.get(place.root) as Y.AbstractType<unknown> | undefined
  for (let i = 0; i < place.path.length; i++) {
    if (!type) return false
    const item = type._map.get(place.path[i] as string)
    if (!item || item.deleted) return false
    if (i === place.path.length - 1) return true
    const content = item.content as { type?: unknown }
    type = content.type instanceof Y.AbstractType ? content.type : undefined
  }
  return false
}

const CARD_KEYS: Record<string, Action> = {
  lane: 'card.lane',
  movedAt: 'card.attribution',
  movedBy: 'card.attribution',
  number: 'card.attribution',
  createdAt: 'card.attribution',
  order: 'card.order',
  pos: 'card.pos',
  deletedAt: 'card.delete',
  updatedAt: 'card.touch',
  criteria: 'card.criteria',
}

function classify(
  { root, path, keyed, card }: Place,
  deleted: boolean,
  newCards: Set<Y.Item>,
  values: unknown[],
  firstLane: string,
): Action {
  if (root === 'meta') return 'meta'
  if (root === 'canvas') return 'canvas'
  if (root === 'votes') return 'votes'
  if (root !== 'cards') return 'other'
  const [cardId, key] = path
  if (cardId === undefined) return 'other'
  if (key === undefined) {
    // The card's entry in `cards`; an item in the list part of a card's map is no key of the card.
    if (!keyed) return 'card.content'
    return deleted ? 'card.remove' : 'card.create'
  }
  if (card && newCards.has(card) && !deleted) {
    // The keys of a card made in this update. A new card starts in the first lane, unmoved; its number
    // and creation time are its own (the server checks them once it is stored: server/realtime/attribution.ts).
    if (key === 'movedAt' || key === 'movedBy') return 'card.attribution'
    if (key === 'lane' && (values.length === 0 || values.some((value) => value !== firstLane))) {
      return 'card.lane'
    }
    return 'card.create'
  }
  return CARD_KEYS[key] ?? 'card.content'
}
