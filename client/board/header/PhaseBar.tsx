import type * as Y from 'yjs'
import { type Facilitation, PHASES, setPhase, setSelectionBy } from '../../../model/phases.js'
import { BUTTON, SELECT } from '../../controls.js'
import { useI18n } from '../../i18n.js'
import { serverNow } from '../session/serverClock.js'
import { LOCAL } from '../session/session.js'

/** The werksessie's phase for everyone to see; the facilitator moves it on and sets who selects. */
export function PhaseBar({
  doc,
  facilitation,
  isFacilitator,
}: {
  doc: Y.Doc
  facilitation: Facilitation
  isFacilitator: boolean
}) {
  const { t } = useI18n()
  const current = facilitation.phase
  return (
    <nav className="phases" aria-label={t.phase} data-phase={current}>
      <ol>
        {PHASES.map((phase, index) => (
          <li
            key={phase}
            aria-current={phase === current ? 'step' : undefined}
            // The phase after this one: on a phone the facilitator's one-tap next step (head.css).
            data-next={index === PHASES.indexOf(current) + 1 ? '' : undefined}
            // Its number stays right when a phone shows only this phase and the next.
            style={{ counterSet: `phase ${index + 1}` }}
          >
            {isFacilitator ? (
              <button
                className={BUTTON}
                type="button"
                data-phase={phase}
                disabled={phase === current}
                onClick={() => setPhase(doc, phase, LOCAL, serverNow())}
              >
                {t.phases[phase].label}
              </button>
            ) : (
              <span>{t.phases[phase].label}</span>
            )}
          </li>
        ))}
      </ol>
      <span className="phase-allows">{t.phases[current].allows}</span>
      {isFacilitator && (
        <label className="selection-by">
          {t.selectionBy}{' '}
          <select
            className={SELECT}
            value={facilitation.selectionBy}
            onChange={(e) =>
              setSelectionBy(doc, e.target.value === 'everyone' ? 'everyone' : 'facilitator', LOCAL)
            }
          >
            <option value="facilitator">{t.selectionByOptions.facilitator}</option>
            <option value="everyone">{t.selectionByOptions.everyone}</option>
          </select>
        </label>
      )}
    </nav>
  )
}
