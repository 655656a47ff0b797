import { memo, useCallback, useMemo } from 'react'
import type * as Y from 'yjs'
import { moveCard } from '../../model/cards.js'
import type { BoardTemplate } from '../../model/template.js'
import { rankOrder } from '../../model/views/ranking.js'
import { useAnnounce } from '../board/announcements/announcer.js'
import { useCardFace, useLaneLayout, useVoterCount, useVotingSettings } from '../board/hooks.js'
import { LOCAL } from '../board/session/session.js'
import { useVoting } from '../board/voting.js'
import { cardThemes, cardTitle } from '../card/title.js'
import { useI18n } from '../i18n.js'
import './ranking.css'
import { BUTTON } from '../controls.js'

export interface RankingProps {
  doc: Y.Doc
  template: BoardTemplate
  /** May move cards between lanes (the facilitator, or everyone while selecting): lane buttons per row. */
  canMove: boolean
  /** The mover's name, recorded with a move. */
  /** Opens a card's detail editor from its row; omitted on the beamer. */
  onOpen?: (cardId: string) => void
  /** 'laptop' (default): one row per card with buttons. 'beamer': large type, no controls. */
  variant?: 'laptop' | 'beamer'
  /** Show only the first `limit` cards (the beamer's top ten). */
  limit?: number
}

/**
 * The results of the dot vote. Before the reveal: how many participants have voted (not what). After
 * it: the cards by votes, a bar each, the criteria ticks and a lane button beside each, so five cards
 * go to the shortlist in five clicks. Rows keep their place when a card changes lane.
 */
export function Ranking({ doc, template, canMove, onOpen, variant = 'laptop', limit }: RankingProps) {
  const { t } = useI18n()
  const announce = useAnnounce()
  const { totals } = useVoting()
  const settings = useVotingSettings(doc)
  const voters = useVoterCount(doc)
  const layout = useLaneLayout(doc)
  // The one ranking rule (model/views/ranking.ts), also used by the chart and the session report.
  const order = useMemo(
    () =>
      rankOrder(
        template.lanes.flatMap((lane) => layout.lanes.get(lane.id) ?? []),
        totals,
        layout.numbers,
      ),
    [layout, totals, template],
  )
  const ranked = useMemo(() => order.map((entry) => entry.id), [order])
  const places = useMemo(() => new Map(order.map((entry) => [entry.id, entry.place])), [order])
  const max = Math.max(1, ...totals.values())
  const onMove = useCallback(
    (cardId: string, lane: string, name: string) => {
      moveCard(doc, cardId, lane, undefined, { origin: LOCAL })
      const label = template.lanes.find((l) => l.id === lane)?.label ?? lane
      announce(t.moved(name, label, (layout.lanes.get(lane)?.length ?? 0) + 1))
    },
    [doc, template, announce, t, layout],
  )
  const shown = limit ? ranked.slice(0, limit) : ranked
  const place = (id: string) => places.get(id) ?? ranked.length

  return (
    <section className={`ranking ranking-${variant}`} aria-labelledby="ranking-title">
      <div className="ranking-head">
        <h2 id="ranking-title">{t.ranking}</h2>
        <p className="ranking-voters" data-voters={voters}>
          {t.voters(voters)}
        </p>
      </div>
      {!settings.revealed ? (
        <p className="hint">{t.rankingHidden}</p>
      ) : (
        <ol className="ranking-list">
          {shown.map((id) => (
            <RankingRow
              key={id}
              doc={doc}
              id={id}
              number={layout.numbers.get(id) ?? 0}
              template={template}
              place={place(id)}
              total={totals.get(id) ?? 0}
              max={max}
              canMove={canMove && variant !== 'beamer'}
              onOpen={variant === 'beamer' ? undefined : onOpen}
              onMove={onMove}
            />
          ))}
        </ol>
      )}
    </section>
  )
}

const RankingRow = memo(function RankingRow(props: {
  doc: Y.Doc
  id: string
  number: number
  template: BoardTemplate
  place: number
  total: number
  max: number
  canMove: boolean
  onOpen?: (cardId: string) => void
  onMove: (cardId: string, lane: string, name: string) => void
}) {
  const { doc, id, number, template, place, total, max, canMove, onOpen, onMove } = props
  const { t } = useI18n()
  const card = useCardFace(doc, id, number)
  if (!card) return null
  const title = cardTitle(card)
  const name = t.card(card.number, title)
  const criteria = template.criteria ?? []
  const lane = template.lanes.find((l) => l.id === card.lane)
  const color = cardThemes(card, template)[0]?.color
  return (
    <li className="ranking-row" data-card-id={id} data-votes={total} data-lane={card.lane}>
      <span className="ranking-place" aria-hidden="true">
        {t.rankPlace(place)}
      </span>
      <span className="ranking-card">
        <span className="card-number" style={color ? { boxShadow: `inset 4px 0 0 ${color}` } : undefined}>
          {card.number}
        </span>
        {onOpen ? (
          <button type="button" className="ranking-title" data-action="open" onClick={() => onOpen(id)}>
            <span className="visually-hidden">{t.card(card.number, '')}: </span>
            {title || t.noTitle}
          </button>
        ) : (
          <span className="ranking-title">
            <span className="visually-hidden">{t.card(card.number, '')}: </span>
            {title || t.noTitle}
          </span>
        )}
      </span>
      <span className="ranking-bar" aria-hidden="true">
        <span style={{ width: `${(total / max) * 100}%` }} />
      </span>
      <span className="ranking-total">{t.votesTotal(total)}</span>
      {criteria.length > 0 && (
        <span className="card-face-criteria ranking-criteria">
          <span aria-hidden="true">
            {criteria.map((c) => (
              <span key={c.id} className={card.criteria.includes(c.id) ? 'tick tick-met' : 'tick'}>
                {card.criteria.includes(c.id) ? '✓' : ''}
              </span>
            ))}
          </span>
          <span className="visually-hidden">{t.criteriaMet(card.criteria.length, criteria.length)}</span>
        </span>
      )}
      <span className="ranking-lane">
        {canMove && lane && <span className="visually-hidden">{t.onLane(lane.label)}</span>}
        {canMove
          ? template.lanes
              .filter((other) => other.id !== card.lane)
              .map((other) => (
                <button
                  className={BUTTON}
                  key={other.id}
                  type="button"
                  data-action="move"
                  data-lane-target={other.id}
                  aria-label={`${t.moveTo(other.label)}: ${name}`}
                  onClick={() => onMove(id, other.id, name)}
                >
                  {t.moveTo(other.label)}
                </button>
              ))
          : lane && <span className="ranking-lane-name">{t.onLane(lane.label)}</span>}
      </span>
    </li>
  )
})
