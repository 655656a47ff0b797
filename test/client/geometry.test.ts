import { describe, expect, it } from 'vitest'
import {
  boundsOf,
  CARD_H,
  CARD_W,
  centerOf,
  clusterByTheme,
  dropIndex,
  laneAt,
  laneRects,
  layoutCards,
  slot,
} from '../../client/canvas/geometry.js'

const lanes = [
  { id: 'longlist', label: 'Longlist' },
  { id: 'shortlist', label: 'Shortlist' },
]
const rects = laneRects(lanes)
const [longlist, shortlist] = rects as [(typeof rects)[0], (typeof rects)[0]]

const overlap = (a: { x: number; y: number }, b: { x: number; y: number }) =>
  a.x < b.x + CARD_W && b.x < a.x + CARD_W && a.y < b.y + CARD_H && b.y < a.y + CARD_H

describe('canvas geometry (model → shapes)', () => {
  it('[LY1] lanes sit side by side in template order and do not overlap', () => {
    expect(longlist.x + longlist.w).toBeLessThan(shortlist.x)
    expect(laneAt(rects, centerOf(slot(shortlist, 0)))?.id).toBe('shortlist')
    expect(laneAt(rects, { x: longlist.x + 10, y: 50_000 })?.id).toBe('longlist') // lanes grow downwards
    expect(laneAt(rects, { x: longlist.x + longlist.w + 5, y: 100 })).toBeUndefined() // the gap between lanes
  })

  it('[LY2] a stored position inside the card’s own lane is kept', () => {
    const pos = { x: shortlist.x + 100, y: 700 }
    const { positions } = layoutCards(lanes, [{ id: 'a', lane: 'shortlist', pos }])
    expect(positions.get('a')).toEqual(pos)
  })

  it('[LY3] a card whose position lies in another lane (moved in the list view) takes a free slot of its lane', () => {
    const { positions } = layoutCards(lanes, [{ id: 'a', lane: 'shortlist', pos: slot(longlist, 0) }])
    expect(laneAt(rects, centerOf(positions.get('a') as { x: number; y: number }))?.id).toBe('shortlist')
  })

  it('[LY4] cards without a position fill free slots in lane order, never on top of another card', () => {
    const placed = { id: 'p', lane: 'longlist', pos: slot(longlist, 1) }
    const cards = [placed, ...['a', 'b', 'c', 'd'].map((id) => ({ id, lane: 'longlist', pos: null }))]
    const { positions } = layoutCards(lanes, cards)
    const all = [...positions.values()]
    for (const [i, a] of all.entries()) for (const b of all.slice(i + 1)) expect(overlap(a, b)).toBe(false)
    expect(positions.get('a')).toEqual(slot(longlist, 0))
    expect(positions.get('b')).toEqual(slot(longlist, 2))
  })

  it('[LY5] every client derives the same layout from the same cards', () => {
    const cards = Array.from({ length: 30 }, (_, i) => ({
      id: `c${i}`,
      lane: i % 3 === 0 ? 'shortlist' : 'longlist',
      pos: i % 4 === 0 ? slot(i % 3 === 0 ? shortlist : longlist, i) : null,
    }))
    const a = layoutCards(lanes, cards)
    const b = layoutCards(lanes, structuredClone(cards))
    expect([...a.positions]).toEqual([...b.positions])
    expect(a.lanes[0]?.h).toBeGreaterThan(CARD_H * 5) // lanes grow to hold their cards
  })

  it('[LY6] a drop takes its place in the lane order by reading order (rows, then left to right)', () => {
    const others = [slot(shortlist, 0), slot(shortlist, 1), slot(shortlist, 2)]
    expect(dropIndex({ x: shortlist.x, y: 0 }, others)).toBe(0)
    expect(dropIndex({ ...slot(shortlist, 1), x: slot(shortlist, 1).x + 5 }, others)).toBe(2)
    expect(dropIndex(slot(shortlist, 5), others)).toBe(3)
  })

  it('[LY7] each lane grows with its own cards; an empty lane keeps room for two rows', () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ id: `c${i}`, lane: 'longlist', pos: null }))
    const { lanes: sized, positions } = layoutCards(lanes, many)
    const [long, short] = sized as [(typeof sized)[0], (typeof sized)[0]]
    const lowest = Math.max(...[...positions.values()].map((pos) => pos.y + CARD_H))
    expect(long.y + long.h).toBeGreaterThanOrEqual(lowest)
    expect(short.h).toBeLessThan(long.h)
    expect(short.h).toBeGreaterThanOrEqual(2 * CARD_H)
    // Every card inside its lane's rectangle.
    for (const pos of positions.values()) {
      expect(pos.x).toBeGreaterThanOrEqual(long.x)
      expect(pos.x + CARD_W).toBeLessThanOrEqual(long.x + long.w)
    }
    expect(boundsOf(sized)).toEqual({ x: long.x, y: 0, w: short.x + short.w - long.x, h: long.h })
  })

  it('[LY8] "Ordenen op thema" puts each theme in rows of its own, in template order, themeless last', () => {
    const cards = [
      { id: 'a', theme: 'energie' },
      { id: 'b', theme: null },
      { id: 'c', theme: 'wonen' },
      { id: 'd', theme: 'energie' },
      { id: 'e', theme: 'wonen' },
      { id: 'f', theme: 'onbekend' },
    ]
    const placed = clusterByTheme(longlist, cards, ['wonen', 'energie'])
    const at = (id: string) => placed.get(id) as { x: number; y: number }
    expect(at('c')).toEqual(slot(longlist, 0))
    expect(at('e')).toEqual(slot(longlist, 1))
    // The next theme starts a new row (four cards to a row).
    expect(at('a')).toEqual(slot(longlist, 4))
    expect(at('d')).toEqual(slot(longlist, 5))
    expect(at('b').y).toBe(slot(longlist, 8).y)
    expect(at('f').y).toBe(slot(longlist, 8).y)
    expect(new Set([...placed.values()].map((p) => `${p.x},${p.y}`)).size).toBe(cards.length)
    // A layout of the arranged cards keeps them where they were put.
    const { positions } = layoutCards(
      lanes,
      cards.map((card) => ({ id: card.id, lane: 'longlist', pos: at(card.id) })),
    )
    for (const card of cards) expect(positions.get(card.id)).toEqual(at(card.id))
  })
})
