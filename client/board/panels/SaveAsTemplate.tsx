import { type FormEvent, useState } from 'react'
import { BUTTON, TEXTBOX } from '../../controls.js'
import { useI18n } from '../../i18n.js'
import { forgetCreateToken, keepCreateToken, readCreateToken } from '../../start/createToken.js'
import { operatorRequest } from '../../start/operatorRequest.js'
import { ProblemList } from '../../start/ProblemList.js'
import type { TemplateProblem } from '../../start/templateProblems.js'

/**
 * "Bewaar als template" on the board itself (facilitator): the board's structure, optionally with its
 * cards, becomes a template of this server (POST /api/templates). Needs the board-creation right: the
 * token this browser keeps from the start page, or asked for here.
 */
export function SaveAsTemplate({ boardId, token, title }: { boardId: string; token: string; title: string }) {
  const { t } = useI18n()
  const [name, setName] = useState(title)
  const [withCards, setWithCards] = useState(true)
  const [createToken, setCreateToken] = useState(readCreateToken)
  const [askToken, setAskToken] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')
  const [problems, setProblems] = useState<TemplateProblem[]>([])
  const [status, setStatus] = useState('')

  async function save(event: FormEvent) {
    event.preventDefault()
    setBusy(true)
    setError('')
    setProblems([])
    setStatus('')
    const request = operatorRequest(
      {
        token: () => createToken,
        needsToken: () => {
          forgetCreateToken()
          setAskToken(true)
        },
        accepted: keepCreateToken,
      },
      t,
    )
    try {
      const { status, body } = await request('/api/templates', 'POST', {
        board: boardId,
        token,
        cards: withCards,
        title: name.trim() || title,
        description: t.savedFrom(title),
      })
      if (status === 413) throw new Error(t.templateTooLarge)
      if (status !== 201) {
        setProblems((body.problems as TemplateProblem[] | undefined) ?? [])
        throw new Error(body.problems ? t.templateProblems : String(body.error ?? status))
      }
      setAskToken(false)
      setStatus(t.templateSavedHere(String(body.title)))
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section aria-labelledby="save-template-title">
      <h2 id="save-template-title">{t.saveAsTemplate}</h2>
      <form className="save-template" onSubmit={save}>
        <label>
          {t.templateName}{' '}
          <input
            className={TEXTBOX}
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={200}
            required
          />
        </label>
        <label>
          <input type="checkbox" checked={withCards} onChange={(e) => setWithCards(e.target.checked)} />{' '}
          {t.templateWithCards}
        </label>
        {askToken && (
          <label>
            {t.createToken}{' '}
            <input
              className={TEXTBOX}
              type="password"
              autoComplete="off"
              value={createToken}
              onChange={(e) => setCreateToken(e.target.value)}
            />
          </label>
        )}
        <button className={BUTTON} type="submit" disabled={busy}>
          {busy ? t.creating : t.templateSave}
        </button>
      </form>
      {error && (
        <div role="alert" className="error">
          <p>{error}</p>
          <ProblemList problems={problems} />
        </div>
      )}
      <p role="status" className="hint">
        {status}
      </p>
    </section>
  )
}
