import { useCallback, useRef, useState } from 'react'
import type * as Y from 'yjs'
import { restoreCard } from '../../model/cards.js'
import { cardView, listCards, readCard } from '../../model/read.js'
import type { BoardTemplate } from '../../model/template.js'
import { useCriteriaMet, useLaneLayout } from '../board/hooks.js'
import type { Can } from '../board/permissions.js'
import type { Peer } from '../board/presence.js'
import { LOCAL } from '../board/session.js'
import { useScrollToSpotlight } from '../board/spotlight.js'
import { useVoting } from '../board/voting.js'
import { useI18n } from '../i18n.js'
import { CardEditor } from './CardEditor.js'

interface Props {
  doc: Y.Doc
  template: BoardTemplate
  readOnly: boolean
  can: Can
  userName: string
  merge?: (targetId: string, sourceId: string) => void
  peers: Peer[]
  onEditing: (cardId: string | null) => void
}

/**
 * The board without a canvas: each lane a column of cards, everything editable and operable with
 * the keyboard alone. Same doc, same model operations as the canvas.
 */
export function ListView({ doc, template, readOnly, can, userName, merge, peers, onEditing }: Props) {
  const { t } = useI18n()
  const layout = useLaneLayout(doc)
  const [message, setMessage] = useState('')
  const live = useRef<HTMLDivElement>(null)

  const announce = useCallback((text: string) => setMessage(text), [])
  const afterMove = useCallback(
    (cardId: string, control: string) => {
      // The card re-renders in its new place: give focus back to the same control there.
      requestAnimationFrame(() => {
        const card = document.querySelector<HTMLElement>(`[data-card-id="${cardId}"]`)
        const target =
          card?.querySelector<HTMLElement>(`[data-action="${control}"]`) ?? card?.querySelector('button')
        target?.focus()
        const view = readCard(doc, cardId)
        if (view) {
          const lane = template.lanes.find((l) => l.id === view.lane)?.label ?? view.lane
          const position = listCards(doc, { lane: view.lane }).findIndex((card) => card.id === cardId) + 1
          const title = String(view.fields.actie ?? '').split('\n')[0] ?? ''
          setMessage(t.moved(t.card(view.number, title), lane, position > 0 ? position : 1))
        }
      })
    },
    [doc, template, t],
  )
  const actions = { afterMove, announce, onEditing, userName, merge }
  const { totals } = useVoting()
  const spotlight = useScrollToSpotlight(doc)
  const [byVotes, setByVotes] = useState(false)
  const [criterion, setCriterion] = useState('')
  const criteriaMet = useCriteriaMet(doc)
  const meets = (id: string) => !criterion || (criteriaMet.get(id)?.includes(criterion) ?? false)
  const ordered = (ids: string[]) => {
    const shown = ids.filter(meets)
    return byVotes ? shown.sort((a, b) => (totals.get(b) ?? 0) - (totals.get(a) ?? 0)) : shown
  }

  return (
    <div className="list-view">
      {(can('card.order') || can('card.lane')) && <p className="hint">{t.keyboardHelp}</p>}
      {(template.criteria ?? []).length > 0 && (
        <label className="hint">
          {t.filterCriterion}{' '}
          <select value={criterion} onChange={(e) => setCriterion(e.target.value)}>
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
                <ol>
                  {ordered(ids).map((id) => (
                    <li key={id}>
                      <CardEditor
                        doc={doc}
                        id={id}
                        number={layout.numbers.get(id) ?? 0}
                        template={template}
                        readOnly={readOnly}
                        can={can}
                        spotlit={spotlight === id}
                        numbers={layout.numbers}
                        isFacilitator={can('meta')}
                        editors={peers.filter((peer) => !peer.self && peer.editing === id)}
                        actions={actions}
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
              const title = t.card(number, String(card?.fields.actie ?? '').split('\n')[0] ?? '')
              return (
                <li key={id}>
                  {title}{' '}
                  {can('card.delete') && (
                    <button
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
      <div ref={live} className="visually-hidden" aria-live="polite">
        {message}
      </div>
    </div>
  )
}
