import type * as Y from 'yjs'
import { cardView } from '../../model/read.js'
import type { BoardTemplate } from '../../model/template.js'
import { cardThemes, cardTitle, FONT, fitText, safeColor, wrapText } from '../../model/views/index.js'

/** What a card's picture needs from the board (the canvas registers it per editor). */
export interface CardPictureSource {
  doc: Y.Doc
  template: BoardTemplate
  numbers: ReadonlyMap<string, number>
}

/**
 * A card as plain SVG for tldraw's export (PNG/SVG of the canvas or a lane): the same content as the
 * card face — number, theme colours and names, the actie in at most three lines — drawn without HTML,
 * so the export needs no foreignObject and no outside font. Read from the model when exporting.
 */
export function CardPicture({
  source,
  cardId,
  w,
  h,
}: {
  source: CardPictureSource
  cardId: string
  w: number
  h: number
}) {
  const card = cardView(source.doc, cardId, source.numbers.get(cardId) ?? 0)
  if (!card) return null
  const themes = cardThemes(card, source.template)
  const stripe = themes.length ? themes : [{ id: '', label: '', color: '#d5d9e0' }]
  const title = wrapText(cardTitle(card) || '—', w - 32, 20, 3)
  const themeNames = fitText(themes.map((theme) => theme.label).join(' · '), w - 70, 14)
  return (
    <g fontFamily={FONT} fill="#1d2330">
      <rect width={w} height={h} rx={8} fill="#ffffff" stroke="#c9ced6" />
      {stripe.map((theme, i) => (
        <rect
          key={theme.id || i}
          x={(i * w) / stripe.length}
          y={0}
          width={w / stripe.length}
          height={8}
          fill={safeColor(theme.color, '#d5d9e0')}
        />
      ))}
      <rect x={12} y={18} width={40} height={24} rx={4} fill="#f5f6f8" />
      <text x={32} y={35} fontSize={15} fontWeight={700} textAnchor="middle">
        {card.number}
      </text>
      <text x={62} y={35} fontSize={14} fill="#4a5260">
        {themeNames}
      </text>
      {title.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines of one text, in order
        <text key={i} x={16} y={74 + i * 26} fontSize={20} fontWeight={600}>
          {line}
        </text>
      ))}
    </g>
  )
}
