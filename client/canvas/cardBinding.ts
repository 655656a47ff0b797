import { createShapeId, type Editor, getIndexAbove, type TLShapeId } from 'tldraw'
import type * as Y from 'yjs'
import { deleteCard, duplicateCard, moveCard, setPosition } from '../../model/cards.js'
import { cardsOf, templateOf } from '../../model/layout.js'
import { listCards } from '../../model/read.js'
import type { Can } from '../board/session/permissions.js'
import { LOCAL, LOCAL_NEW_CARD } from '../board/session/session.js'
import { cardThemes } from '../card/title.js'
import { ACTION_CARD, type ActionCardShape } from './ActionCardShape.js'
import {
  CARD_H,
  CARD_W,
  centerOf,
  clusterByTheme,
  dropIndex,
  type LaneRect,
  laneAt,
  layoutCards,
} from './geometry.js'

export function cardShapeId(cardId: string): TLShapeId {
  return createShapeId(`card-${cardId}`)
}

export interface CardBinding {
  /** The lanes as drawn now (they grow with their cards). */
  lanes: () => LaneRect[]
  subscribeLanes: (onChange: () => void) => () => void
  /** Where each card is drawn now (top-left, page coordinates), and a version that changes with it. */
  positions: () => ReadonlyMap<string, { x: number; y: number }>
  layoutVersion: () => number
  subscribeLayout: (onChange: () => void) => () => void
  /** "Ordenen op thema": place a lane's cards in groups by theme (one transaction). */
  arrangeByTheme: (laneId: string) => void
  dispose: () => void
}

/**
 * Keeps the tldraw store a view of the model's cards, and turns the user's gestures on card shapes
 * into model operations:
 *   model → store: one shape per live card, at the position the model implies (geometry.ts), written
 *                  as remote changes (not in tldraw's history, not echoed back);
 *   store → model: a drop moves the card (lane, order, position) in one transaction; deleting a shape
 *                  soft-deletes its card; tldraw-side duplicates become a model duplicate.
 */
export function bindCards(editor: Editor, doc: Y.Doc, can: Can): CardBinding {
  const cards = cardsOf(doc)
  let lanes: LaneRect[] = []
  let positions = new Map<string, { x: number; y: number }>()
  const laneListeners = new Set<() => void>()
  const layoutListeners = new Set<() => void>()
  let version = 0

  const sync = () => {
    const template = templateOf(doc)
    const live = listCards(doc)
    const layout = layoutCards(template.lanes, live)
    positions = layout.positions
    version++
    for (const listener of layoutListeners) listener()
    if (JSON.stringify(layout.lanes) !== JSON.stringify(lanes)) {
      lanes = layout.lanes
      for (const listener of laneListeners) listener()
    }
    const dragging = editor.inputs.getIsDragging()
      ? new Set(editor.getSelectedShapeIds())
      : new Set<TLShapeId>()
    const wanted = new Map(live.map((card) => [cardShapeId(card.id), card.id]))
    const existing = editor
      .getCurrentPageShapes()
      .filter((shape): shape is ActionCardShape => shape.type === ACTION_CARD)
    // Written to the store directly, as remote changes: the editor's createShapes/updateShapes do
    // nothing while it is read-only (an observer, or the phase Afgerond), and every role sees the cards.
    const pageId = editor.getCurrentPageId()
    const remove = existing.filter((shape) => !wanted.has(shape.id)).map((shape) => shape.id)
    const have = new Map(existing.map((shape) => [shape.id, shape]))
    const put: ActionCardShape[] = []
    let index = editor.getHighestIndexForParent(pageId)
    for (const [shapeId, cardId] of wanted) {
      const pos = positions.get(cardId) ?? { x: 0, y: 0 }
      const shape = have.get(shapeId)
      if (!shape) {
        put.push(
          editor.store.schema.types.shape.create({
            id: shapeId,
            type: ACTION_CARD,
            parentId: pageId,
            index,
            x: pos.x,
            y: pos.y,
            props: { cardId, w: CARD_W, h: CARD_H },
          }) as ActionCardShape,
        )
        index = getIndexAbove(index)
      } else if (
        !dragging.has(shapeId) &&
        (shape.x !== pos.x || shape.y !== pos.y || shape.props.w !== CARD_W || shape.props.h !== CARD_H)
      ) {
        put.push({ ...shape, x: pos.x, y: pos.y, props: { ...shape.props, w: CARD_W, h: CARD_H } })
      }
    }
    if (remove.length === 0 && put.length === 0) return
    editor.store.mergeRemoteChanges(() => {
      if (remove.length > 0) editor.store.remove(remove)
      if (put.length > 0) editor.store.put(put)
    })
  }

  let scheduled = false
  const schedule = () => {
    if (scheduled) return
    scheduled = true
    queueMicrotask(() => {
      scheduled = false
      sync()
    })
  }
  const onCards = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
    const relevant = events.some(
      (event) =>
        event.target === cards ||
        (event.path.length === 1 &&
          [...((event as Y.YMapEvent<unknown>).keysChanged ?? [])].some((key) =>
            ['lane', 'order', 'pos', 'deletedAt'].includes(key),
          )),
    )
    if (relevant) schedule()
  }
  cards.observeDeep(onCards)
  doc.getMap('meta').observe(schedule)
  sync()

  // A drop (or a keyboard nudge) of card shapes: commit lane, order and position to the model.
  const moved = new Set<TLShapeId>()
  const commit = () => {
    if (moved.size === 0 || editor.inputs.getIsDragging()) return
    const ids = [...moved]
    moved.clear()
    doc.transact(() => {
      for (const shapeId of ids) {
        const shape = editor.getShape<ActionCardShape>(shapeId)
        if (!shape || shape.type !== ACTION_CARD) continue
        const { cardId } = shape.props
        const card = listCards(doc).find((c) => c.id === cardId)
        if (!card) continue
        const pos = { x: Math.round(shape.x), y: Math.round(shape.y) }
        const lane = laneAt(lanes, centerOf(pos))?.id ?? card.lane
        // A move the phase does not allow (to another lane, or at all) snaps back: sync() below.
        if (!can('card.pos') || (lane !== card.lane && !can('card.lane'))) continue
        const others = listCards(doc, { lane })
          .filter((c) => c.id !== cardId)
          .map((c) => positions.get(c.id) ?? { x: 0, y: 0 })
        if (can('card.order') || lane !== card.lane) {
          moveCard(doc, cardId, lane, dropIndex(pos, others), { origin: LOCAL })
        }
        setPosition(doc, cardId, pos, { origin: LOCAL })
      }
    }, LOCAL)
    sync()
  }
  const offChange = editor.sideEffects.registerAfterChangeHandler('shape', (prev, next, source) => {
    if (source !== 'user' || next.type !== ACTION_CARD) return
    if (prev.x === next.x && prev.y === next.y) return
    moved.add(next.id)
    queueMicrotask(commit)
  })
  const onEvent = (info: { type: string; name: string }) => {
    if (info.type === 'pointer' && info.name === 'pointer_up') commit()
  }
  editor.on('event', onEvent)

  // Deleting a card shape soft-deletes the card; a card shape made by tldraw (duplicate, paste)
  // is replaced by a proper model duplicate.
  const offListen = editor.store.listen(
    ({ changes }) => {
      const removed = Object.values(changes.removed).filter(
        (record): record is ActionCardShape => record.typeName === 'shape' && record.type === ACTION_CARD,
      )
      const added = Object.values(changes.added).filter(
        (record): record is ActionCardShape => record.typeName === 'shape' && record.type === ACTION_CARD,
      )
      if (removed.length > 0) {
        doc.transact(() => {
          for (const shape of removed)
            if (cards.has(shape.props.cardId)) deleteCard(doc, shape.props.cardId, { origin: LOCAL })
        }, LOCAL)
      }
      const strays = added.filter((shape) => shape.id !== cardShapeId(shape.props.cardId))
      if (strays.length > 0) {
        editor.store.mergeRemoteChanges(() => editor.deleteShapes(strays.map((shape) => shape.id)))
        for (const shape of strays)
          if (cards.has(shape.props.cardId))
            duplicateCard(doc, shape.props.cardId, { origin: LOCAL_NEW_CARD })
      }
    },
    { source: 'user', scope: 'document' },
  )

  return {
    lanes: () => lanes,
    positions: () => positions,
    layoutVersion: () => version,
    subscribeLayout: (listener) => {
      layoutListeners.add(listener)
      return () => layoutListeners.delete(listener)
    },
    subscribeLanes: (listener) => {
      laneListeners.add(listener)
      return () => laneListeners.delete(listener)
    },
    arrangeByTheme: (laneId) => {
      const lane = lanes.find((l) => l.id === laneId)
      if (!lane || !can('card.pos')) return
      const template = templateOf(doc)
      const inLane = listCards(doc, { lane: laneId }).map((card) => ({
        id: card.id,
        theme: cardThemes(card, template)[0]?.id ?? null,
      }))
      const placed = clusterByTheme(
        lane,
        inLane,
        template.themes.map((theme) => theme.id),
      )
      doc.transact(() => {
        for (const [cardId, pos] of placed) setPosition(doc, cardId, pos, { origin: LOCAL })
      }, LOCAL)
    },
    dispose: () => {
      cards.unobserveDeep(onCards)
      doc.getMap('meta').unobserve(schedule)
      offChange()
      offListen()
      editor.off('event', onEvent)
    },
  }
}
