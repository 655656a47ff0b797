import { useEffect, useRef } from 'react'
import type * as Y from 'yjs'
import type { BoardTemplate } from '../../model/template.js'
import { Timer } from '../board/header/Timer.js'
import { useCard, useFacilitation, useLaneLayout, useVotingSettings } from '../board/hooks.js'
import { useSpotlight } from '../board/spotlight.js'
import { CardFace } from '../card/CardFace.js'
import { FieldValue } from '../card/FieldValue.js'
import { useI18n } from '../i18n.js'
import { Ranking } from '../results/Ranking.js'
import './presentation.css'
import { BUTTON } from '../controls.js'

interface Props {
  doc: Y.Doc
  title: string
  template: BoardTemplate
  onClose: () => void
}

/**
 * Presentation mode, for the beamer: large type and nothing to edit. It shows the phase and the timer,
 * the spotlight card large, and after the reveal the ranking; otherwise every card's face. Everything
 * is read from the board, so it follows the facilitator's phase, spotlight and reveal as they happen.
 */
export function Presentation({ doc, title, template, onClose }: Props) {
  const { t } = useI18n()
  const { phase } = useFacilitation(doc)
  const spotlight = useSpotlight(doc)
  const { revealed } = useVotingSettings(doc)
  const layout = useLaneLayout(doc)
  const close = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    close.current?.focus()
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onClose])

  const spotNumber = spotlight ? (layout.numbers.get(spotlight) ?? 0) : 0
  return (
    <div className="presentation" data-phase={phase} data-spotlight={spotlight ?? ''}>
      <header className="presentation-head">
        <h1>{title}</h1>
        <p className="presentation-phase" data-phase={phase}>
          <span className="visually-hidden">{t.phase}: </span>
          {t.phases[phase].label}
        </p>
        <Timer doc={doc} isFacilitator={false} />
        <button ref={close} type="button" className={`${BUTTON} presentation-close`} onClick={onClose}>
          {t.presentationClose}
        </button>
      </header>
      <main className={spotlight ? 'presentation-body with-spotlight' : 'presentation-body'}>
        {spotlight && (
          <section className="presentation-spotlight" aria-labelledby="presentation-spotlight">
            <h2 id="presentation-spotlight">{t.spotlightCard}</h2>
            <CardFace
              doc={doc}
              cardId={spotlight}
              number={spotNumber}
              template={template}
              phase={phase}
              spotlit
              variant="beamer"
            />
            <SpotlightDetails doc={doc} cardId={spotlight} number={spotNumber} template={template} />
          </section>
        )}
        {revealed ? (
          <Ranking doc={doc} template={template} canMove={false} variant="beamer" limit={10} />
        ) : (
          <section className="presentation-cards">
            {template.lanes.map((lane) => {
              const ids = layout.lanes.get(lane.id) ?? []
              if (ids.length === 0) return null
              return (
                <div key={lane.id} className="presentation-lane" data-lane={lane.id}>
                  <h2>{lane.label}</h2>
                  <ol>
                    {ids.map((id) => (
                      <li key={id}>
                        <CardFace
                          doc={doc}
                          cardId={id}
                          number={layout.numbers.get(id) ?? 0}
                          template={template}
                          phase={phase}
                          spotlit={id === spotlight}
                          variant="beamer"
                        />
                      </li>
                    ))}
                  </ol>
                </div>
              )
            })}
          </section>
        )}
      </main>
    </div>
  )
}

/** What the spotlight card says besides its title and themes (shown on the face), as text. */
function SpotlightDetails(props: { doc: Y.Doc; cardId: string; number: number; template: BoardTemplate }) {
  const { doc, cardId, number, template } = props
  const card = useCard(doc, cardId, number)
  if (!card) return null
  const filled = template.fields.filter((field) => {
    if (field.id === 'actie' || field.optionsFrom === 'themes') return false
    const value = card.fields[field.id]
    if (typeof value === 'string') return value.trim() !== ''
    if (Array.isArray(value)) return value.length > 0
    if (value && typeof value === 'object') return Object.values(value).some((v) => String(v).trim() !== '')
    return false
  })
  if (filled.length === 0) return null
  return (
    <div className="presentation-details">
      {filled.map((field) => (
        <FieldValue key={field.id} field={field} template={template} value={card.fields[field.id]} />
      ))}
    </div>
  )
}
