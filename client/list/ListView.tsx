import { useCallback, useMemo, useState } from 'react'
import type * as Y from 'yjs'
import { moveCard, reorderCard, restoreCard } from '../../model/cards.js'
import type { Phase } from '../../model/phases.js'
import { cardView, listCards, readCard } from '../../model/read.js'
import type { BoardTemplate, LaneDef } from '../../model/template.js'
import { useAnnounce } from '../board/announcements/announcer.js'
import { useCriteriaMet, useLaneLayout } from '../board/hooks.js'
import type { Can } from '../board/session/permissions.js'
import type { Peer } from '../board/session/presence.js'
import { LOCAL } from '../board/session/session.js'
import { useScrollToSpotlight } from '../board/spotlight.js'
import { useVoting } from '../board/voting.js'
import type { CardEditorMark } from '../card/CardFace.js'
import { cardTitle } from '../card/title.js'
import { useI18n } from '../i18n.js'
import { ListCard } from './ListCard.js'
import { useRenderBudget } from './useRenderBudget.js'
import './list.css'

interface Props {
  doc: Y.Doc
  template: BoardTemplate
  phase: Phase
  can: Can
  peers: Peer[]
  /** Opens a card's detail editor. */
  onOpen: (cardId: string) => void
}

const NO_LANES: readonly LaneDef[] = []

/**
 * The board without a canvas: each lane a grid of card faces (longlist and shortlist side by side on
 * a laptop, one column on a phone), operable with the keyboard alone. A card opens in the detail
 * editor. Same doc, same model operations as the canvas. Each face subscribes to its own card: a
 * remote edit renders only the card that changed.
 */
export function ListView({ doc, template, phase, can, peers, onOpen }: Props) {
  const { t } = useI18n()
  const announce = useAnnounce()
  const layout = useLaneLayout(doc)
  const { totals } = useVoting()
  const spotlight = useScrollToSpotlight(doc)
  const [byVotes, setByVotes] = useState(false)
  const [criterion, setCriterion] = useState('')
  const criteriaMet = useCriteriaMet(doc)
  const canOrder = can('card.order')
  const canLane = can('card.lane')

  const onMove = useCallback(
    (cardId: string, lane: string | null, delta: number) => {
      if (lane) moveCard(doc, cardId, lane, undefined, { origin: LOCAL })
      else reorderCard(doc, cardId, delta, { origin: LOCAL })
      // The card re-renders in its new place: give focus back to the same control there.
      requestAnimationFrame(() => {
        const face = document.querySelector<HTMLElement>(`.list-view [data-card-id="${cardId}"]`)
        const control = lane ? 'move' : 'open'
        const target =
          face?.querySelector<HTMLElement>(`[data-action="${control}"]`) ??
          face?.querySelector<HTMLElement>('[data-action="open"]')
        target?.focus()
        const view = readCard(doc, cardId)
        if (view) {
          const label = template.lanes.find((l) => l.id === view.lane)?.label ?? view.lane
          const position = listCards(doc, { lane: view.lane }).findIndex((card) => card.id === cardId) + 1
          announce(t.moved(t.card(view.number, cardTitle(view, 80)), label, position > 0 ? position : 1))
        }
      })
    },
    [doc, template, t, announce],
  )

  // Cards go to another lane from their face while selecting; otherwise from the detail editor.
  const targets = useMemo(() => {
    const byLane = new Map<string, readonly LaneDef[]>()
    for (const lane of template.lanes)
      byLane.set(
        lane.id,
        phase === 'selecteren' && canLane ? template.lanes.filter((l) => l.id !== lane.id) : NO_LANES,
      )
    return byLane
  }, [template, phase, canLane])

  const editors = useMemo(() => {
    const byCard = new Map<string, CardEditorMark[]>()
    for (const peer of peers) {
      if (peer.self || !peer.editing) continue
      // The role the server stamped, beside the name: nobody poses as the facilitator.
      const name = peer.role ? `${peer.user.name} (${t.role[peer.role]})` : peer.user.name
      byCard.set(peer.editing, [...(byCard.get(peer.editing) ?? []), { name, color: peer.user.color }])
    }
    return byCard
  }, [peers, t])

  // A long board renders its first cards at once and the rest right after (useRenderBudget.ts).
  const limit = useRenderBudget(Math.max(0, ...[...layout.lanes.values()].map((ids) => ids.length)))
  const meets = (id: string) => !criterion || (criteriaMet.get(id)?.includes(criterion) ?? false)
  const ordered = (ids: string[]) => {
    const shown = ids.filter(meets)
    return (byVotes ? shown.sort((a, b) => (totals.get(b) ?? 0) - (totals.get(a) ?? 0)) : shown).slice(
      0,
      limit,
    )
  }

  return (
    <div className="list-view" data-phase={phase} data-many={layout.numbers.size > 100 ? '' : undefined}>
      <div className="list-tools">
        {(canOrder || canLane) && <p className="hint">{t.keyboardHelp}</p>}
        {(template.criteria ?? []).length > 0 && (
          <label className="hint">
            {t.filterCriterion}{' '}
            <select
              className="utrecht-select utrecht-select--html-select"
              value={criterion}
              onChange={(e) => setCriterion(e.target.value)}
            >
              <option value="">{t.anyCriterion}</option>
              {(template.criteria ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
        )}
        {totals.size > 0 && (
          <label className="hint">
            <input type="checkbox" checked={byVotes} onChange={(e) => setByVotes(e.target.checked)} />{' '}
            {t.sortByVotes}
          </label>
        )}
      </div>
      <div className="lanes">
        {template.lanes.map((lane) => {
          const ids = layout.lanes.get(lane.id) ?? []
          const headingId = `lane-${lane.id}`
          return (
            <section key={lane.id} className="lane" aria-labelledby={headingId} data-lane={lane.id}>
              <h2 id={headingId}>
                {lane.label} <span className="count">({ids.length})</span>
              </h2>
              {ids.length === 0 ? (
                <p className="empty">{t.emptyLane}</p>
              ) : (
                <ol className="face-grid">
                  {ordered(ids).map((id) => (
                    <li key={id}>
                      <ListCard
                        doc={doc}
                        id={id}
                        number={layout.numbers.get(id) ?? 0}
                        template={template}
                        phase={phase}
                        spotlit={spotlight === id}
                        editors={editors.get(id)}
                        targets={targets.get(lane.id) ?? NO_LANES}
                        canOrder={canOrder}
                        canLane={canLane}
                        onOpen={onOpen}
                        onMove={onMove}
                      />
                    </li>
                  ))}
                </ol>
              )}
            </section>
          )
        })}
      </div>
      {layout.deleted.length > 0 && (
        <details className="trash">
          <summary>{t.trash(layout.deleted.length)}</summary>
          <ul>
            {layout.deleted.map((id) => {
              const number = layout.numbers.get(id) ?? 0
              const card = cardView(doc, id, number) // numbers known: not recounted per deleted card
              const title = t.card(number, card ? cardTitle(card, 80) : '')
              return (
                <li key={id}>
                  {title}{' '}
                  {can('card.delete') && (
                    <button
                      className="utrecht-button utrecht-button--secondary-action"
                      type="button"
                      onClick={() => {
                        restoreCard(doc, id, { origin: LOCAL })
                        announce(t.restored(title))
                      }}
                    >
                      {t.restore}
                    </button>
                  )}
                </li>
              )
            })}
          </ul>
        </details>
      )}
    </div>
  )
}
