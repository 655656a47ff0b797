/**
 * Where lanes and cards sit on the canvas. Pure functions of the model's data, so every browser
 * derives the same picture: a card with a stored position inside its own lane stays there; any other
 * card (new, moved by the list view or the API, or written by another client) takes the first free
 * slot of its lane, in lane order.
 */

export const CARD_W = 300
export const CARD_H = 400
const GAP = 24
const COLUMNS = 2
const LANE_PAD_TOP = 90
export const LANE_W = COLUMNS * (CARD_W + GAP) + GAP
const LANE_GAP = 120
const MIN_LANE_H = 1400

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
  const bottom = Math.max(MIN_LANE_H, ...[...positions.values()].map((pos) => pos.y + CARD_H + GAP))
  return { positions, lanes: laneRects(lanesIn, bottom) }
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
