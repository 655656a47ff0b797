import type * as Y from 'yjs'
import { MAX_BUDGET, MIN_BUDGET, setVoting } from '../../../model/voting.js'
import { BUTTON, TEXTBOX } from '../../controls.js'
import { useI18n } from '../../i18n.js'
import { useVoterCount, useVotingSettings } from '../hooks.js'
import { LOCAL } from '../session/session.js'

/** The facilitator's voting settings: the budget, several votes per card, and showing the totals. */
export function VotingSettingsPanel({ doc, boardId, token }: { doc: Y.Doc; boardId: string; token: string }) {
  const { t } = useI18n()
  const settings = useVotingSettings(doc)
  const voters = useVoterCount(doc)
  const reveal = (revealed: boolean) =>
    fetch(`/api/boards/${encodeURIComponent(boardId)}/votes/reveal`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ revealed }),
    })
  return (
    <fieldset className="voting-settings">
      <legend>{t.votingSettings}</legend>
      <label>
        {t.budget}{' '}
        <input
          className={TEXTBOX}
          type="number"
          min={MIN_BUDGET}
          max={MAX_BUDGET}
          value={settings.budget}
          onChange={(e) => {
            const budget = Number(e.target.value)
            if (Number.isInteger(budget) && budget >= MIN_BUDGET && budget <= MAX_BUDGET)
              setVoting(doc, { budget }, LOCAL)
          }}
        />
      </label>{' '}
      <label>
        <input
          type="checkbox"
          checked={settings.multiplePerCard}
          onChange={(e) => setVoting(doc, { multiplePerCard: e.target.checked }, LOCAL)}
        />{' '}
        {t.multiplePerCard}
      </label>{' '}
      <button
        className={BUTTON}
        type="button"
        data-action={settings.revealed ? 'hide-votes' : 'reveal-votes'}
        onClick={() => void reveal(!settings.revealed)}
      >
        {settings.revealed ? t.hide : t.reveal}
      </button>{' '}
      <span className="voters" data-voters={voters}>
        {t.voters(voters)}
      </span>
    </fieldset>
  )
}
