import { scaleBand, scaleLinear } from 'd3-scale'
import type { BoardTemplate } from '../template.js'
import type { VoteRanking } from './ranking.js'
import {
  fitText,
  HEADER_HEIGHT,
  INK,
  legend,
  line,
  MUTED,
  NO_THEME,
  RULE,
  rect,
  type SvgFrame,
  safeColor,
  svgDocument,
  text,
  textWidth,
} from './svg.js'

export interface RankingSvgTexts {
  /** A total, e.g. `n => n === 1 ? '1 stem' : n + ' stemmen'`. */
  votes: (n: number) => string
  /** A card without a title. */
  noTitle: string
  /** Shown instead of bars before the reveal. */
  hidden: string
  /** Under the bars: how many cards got no vote (they get no bar), e.g. "14 acties zonder stemmen". */
  unvoted: (n: number) => string
}

export interface RankingSvgOptions {
  /** Picture width in px (default 960). */
  width?: number
  /** Only the first `limit` cards (e.g. the top ten on a slide). */
  limit?: number
}

const ROW = 30

/**
 * The vote ranking as a horizontal bar chart: one bar per card with votes (most on top; the cards
 * without a vote are counted under the bars), coloured by the
 * card's first theme, the number of votes written beside each bar (colour is never the only carrier),
 * a value axis and a legend of the themes. Before the reveal: only the frame and `texts.hidden`.
 */
export function rankingSvg(
  ranking: VoteRanking,
  template: BoardTemplate,
  frame: SvgFrame,
  texts: RankingSvgTexts,
  options: RankingSvgOptions = {},
): string {
  const width = Math.max(480, options.width ?? 960)
  const voted = ranking.cards.filter((card) => card.votes > 0)
  const cards = options.limit ? voted.slice(0, options.limit) : voted
  const unvoted = ranking.cards.length - voted.length
  const top = HEADER_HEIGHT + 16
  if (!ranking.revealed || cards.length === 0) {
    const note = ranking.revealed ? texts.unvoted(unvoted) : texts.hidden
    return svgDocument(width, top + 48, frame, text(24, top + 20, note, { size: 15, fill: MUTED }), note)
  }
  const colorOf = new Map(template.themes.map((theme) => [theme.id, safeColor(theme.color)]))
  const labelWidth = Math.min(420, Math.round(width * 0.42))
  const valueRoom = Math.max(...cards.map((card) => textWidth(texts.votes(card.votes), 13))) + 12
  const x = scaleLinear()
    .domain([0, Math.max(1, ...cards.map((card) => card.votes))])
    .nice()
    .range([24 + labelWidth + 24, width - 24 - valueRoom])
  const y = scaleBand<string>()
    .domain(cards.map((card) => card.id))
    .range([top + 24, top + 24 + cards.length * ROW])
    .paddingInner(0.25)
  const bottom = top + 24 + cards.length * ROW
  const parts: string[] = []
  // The value axis: integer ticks (votes are whole), a light line each, the numbers above the bars.
  const ticks = x.ticks(Math.min(8, x.domain()[1] ?? 1)).filter((tick) => Number.isInteger(tick))
  for (const tick of ticks) {
    parts.push(line(x(tick), top + 20, x(tick), bottom, RULE))
    parts.push(text(x(tick), top + 14, String(tick), { size: 12, fill: MUTED, anchor: 'middle' }))
  }
  for (const card of cards) {
    const by = y(card.id) ?? 0
    const bh = y.bandwidth()
    const mid = by + bh / 2 + 5
    const label = `${card.place}. #${card.number} ${card.title || texts.noTitle}`
    parts.push(text(24, mid, fitText(label, labelWidth, 14), { size: 14 }))
    const color = colorOf.get(card.themes[0] ?? '') ?? NO_THEME
    const x0 = x(0)
    const bw = x(card.votes) - x0
    parts.push(rect(x0, by, bw, bh, color, `stroke="${INK}" stroke-width="0.5"`))
    parts.push(text(x0 + bw + 6, mid, texts.votes(card.votes), { size: 13, bold: true }))
  }
  parts.push(line(x(0), top + 20, x(0), bottom, INK))
  const used = template.themes.filter((theme) => cards.some((card) => card.themes[0] === theme.id))
  let below = bottom + 24
  if (unvoted > 0 && !options.limit) {
    parts.push(text(24, below, texts.unvoted(unvoted), { size: 13, fill: MUTED }))
    below += 26
  }
  const key = legend(used, 24, below, width - 48)
  parts.push(key.svg)
  const description = cards
    .map(
      (card) => `${card.place}. #${card.number} ${card.title || texts.noTitle}: ${texts.votes(card.votes)}`,
    )
    .concat(unvoted > 0 ? [texts.unvoted(unvoted)] : [])
    .join('; ')
  return svgDocument(width, below + key.height + 12, frame, parts.join(''), description)
}
