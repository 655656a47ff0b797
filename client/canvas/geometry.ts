/**
 * Where lanes and cards sit on the canvas. Pure functions of the model's data, so every browser
 * derives the same picture: a card with a stored position inside its own lane stays there; any other
 * card (new, moved by the list view or the API, or written by another client) takes the first free
 * slot of its lane, in lane order.
 */

/** A card face on the canvas: wide and low, so that a lane of 20 shows at a legible zoom. */
export const CARD_W = 280
/** A card's title on the canvas, in page pixels (canvas.css). */
export const CARD_TITLE_PX = 24
/** The smallest zoom the canvas opens at: a title of at least 12.5 px on screen. */
export const LEGIBLE_ZOOM = 12.5 / CARD_TITLE_PX
export const CARD_H = 160
const GAP = 20
const COLUMNS = 4
const LANE_PAD_TOP = 80
export const LANE_W = COLUMNS * (CARD_W + GAP) + GAP
const LANE_GAP = 80
/** An empty lane still has room for two rows of cards to be dropped in. */
const MIN_LANE_H = LANE_PAD_TOP + 2 * (CARD_H + GAP)

export interface Rect {
  x: number
  y: number
  w: number
  h: number
}

export interface LaneRect extends Rect {
  id: string
  label: string
}

export interface PlacedCard {
  id: string
  lane: string
  pos: { x: number; y: number } | null
}

export function laneRects(lanes: readonly { id: string; label: string }[], height = MIN_LANE_H): LaneRect[] {
  return lanes.map((lane, i) => ({
    id: lane.id,
    label: lane.label,
    x: i * (LANE_W + LANE_GAP),
    y: 0,
    w: LANE_W,
    h: height,
  }))
}

/** The lane whose column holds `point`, if any (lanes grow downwards without end). */
export function laneAt(lanes: readonly LaneRect[], point: { x: number; y: number }): LaneRect | undefined {
  return lanes.find((lane) => inColumn(lane, point))
}

export function centerOf(pos: { x: number; y: number }): { x: number; y: number } {
  return { x: pos.x + CARD_W / 2, y: pos.y + CARD_H / 2 }
}

/** The top-left corner of slot `n` of a lane (slots fill rows left to right). */
export function slot(lane: Rect, n: number): { x: number; y: number } {
  return {
    x: lane.x + GAP + (n % COLUMNS) * (CARD_W + GAP),
    y: lane.y + LANE_PAD_TOP + Math.floor(n / COLUMNS) * (CARD_H + GAP),
  }
}

/**
 * Positions of all cards (given in lane order). Cards keep a stored position that lies in their lane;
 * the others fill free slots, never on top of another card.
 */
export function layoutCards(lanesIn: readonly { id: string; label: string }[], cards: readonly PlacedCard[]) {
  const lanes = laneRects(lanesIn)
  const byLane = new Map(lanes.map((lane) => [lane.id, lane]))
  const positions = new Map<string, { x: number; y: number }>()
  const taken: Rect[] = []
  const floating: PlacedCard[] = []
  for (const card of cards) {
    const lane = byLane.get(card.lane) ?? lanes[0]
    if (card.pos && lane && inColumn(lane, centerOf(card.pos))) {
      positions.set(card.id, card.pos)
      taken.push({ ...card.pos, w: CARD_W, h: CARD_H })
    } else {
      floating.push(card)
    }
  }
  const nextSlot = new Map<string, number>()
  for (const card of floating) {
    const lane = byLane.get(card.lane) ?? lanes[0]
    if (!lane) continue
    let n = nextSlot.get(lane.id) ?? 0
    let pos = slot(lane, n)
    while (taken.some((rect) => overlaps(rect, { ...pos, w: CARD_W, h: CARD_H }))) pos = slot(lane, ++n)
    nextSlot.set(lane.id, n + 1)
    positions.set(card.id, pos)
    taken.push({ ...pos, w: CARD_W, h: CARD_H })
  }
  // Each lane grows to hold its own cards.
  const bottoms = new Map<string, number>()
  for (const card of cards) {
    const pos = positions.get(card.id)
    const lane = laneAt(lanes, pos ? centerOf(pos) : { x: -1, y: -1 })
    if (pos && lane) bottoms.set(lane.id, Math.max(bottoms.get(lane.id) ?? 0, pos.y + CARD_H + GAP))
  }
  const sized = lanes.map((lane) => ({ ...lane, h: Math.max(MIN_LANE_H, bottoms.get(lane.id) ?? 0) }))
  return { positions, lanes: sized }
}

/**
 * "Ordenen op thema": positions for a lane's cards, grouped by theme. Groups follow the template's
 * theme order (cards without a theme last); each group starts on a new row; within a group the cards
 * keep their given order (the lane order).
 */
export function clusterByTheme(
  lane: Rect,
  cards: readonly { id: string; theme: string | null }[],
  themeOrder: readonly string[],
): Map<string, { x: number; y: number }> {
  const rank = (theme: string | null) => {
    const i = theme === null ? -1 : themeOrder.indexOf(theme)
    return i === -1 ? themeOrder.length : i
  }
  const groups = new Map<number, string[]>()
  for (const card of cards) groups.set(rank(card.theme), [...(groups.get(rank(card.theme)) ?? []), card.id])
  const positions = new Map<string, { x: number; y: number }>()
  let row = 0
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    const ids = groups.get(key) ?? []
    for (const [i, id] of ids.entries()) positions.set(id, slot(lane, row * COLUMNS + i))
    row += Math.ceil(ids.length / COLUMNS)
  }
  return positions
}

/** The smallest rectangle holding all lanes. */
export function boundsOf(rects: readonly Rect[]): Rect | null {
  if (rects.length === 0) return null
  const x = Math.min(...rects.map((r) => r.x))
  const y = Math.min(...rects.map((r) => r.y))
  const right = Math.max(...rects.map((r) => r.x + r.w))
  const bottom = Math.max(...rects.map((r) => r.y + r.h))
  return { x, y, w: right - x, h: bottom - y }
}

/** Where in its lane's order a card dropped at `pos` belongs: reading order, rows first. */
export function dropIndex(
  pos: { x: number; y: number },
  others: readonly { x: number; y: number }[],
): number {
  const row = (p: { y: number }) => Math.round(p.y / (CARD_H + GAP))
  return others.filter((other) => row(other) < row(pos) || (row(other) === row(pos) && other.x < pos.x))
    .length
}

function inColumn(rect: Rect, point: { x: number; y: number }): boolean {
  return point.x >= rect.x && point.x < rect.x + rect.w && point.y >= rect.y
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}
