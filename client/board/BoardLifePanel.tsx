import { useState } from 'react'
import type * as Y from 'yjs'
import { setObserverExportNames } from '../../model/privacy.js'
import { BUTTON, BUTTON_DANGER } from '../controls.js'
import { useI18n } from '../i18n.js'
import { useObserverExportNames } from './hooks.js'
import { forgetBoard } from './join/forget.js'
import type { Role } from './session/roles.js'
import { type BoardSession, LOCAL } from './session/session.js'

interface RetentionStatus {
  retentionDays: number
  lastActivity: string
  deleteAfter: string | null
}

/**
 * "Privacy en bewaren": for everyone, what this device keeps and "Vergeet dit bord op dit apparaat";
 * for the facilitator also when the server deletes the board (RETENTION_DAYS) with "Langer bewaren",
 * whether observers' exports carry names, and deleting the board for everyone.
 */
export function BoardLifePanel({
  session,
  role,
  token,
  title,
}: {
  session: BoardSession
  role: Role
  token: string
  title: string
}) {
  const { t, language } = useI18n()
  const [status, setStatus] = useState<RetentionStatus | null>(null)
  const [message, setMessage] = useState('')
  const base = `/api/boards/${encodeURIComponent(session.boardId)}`
  const auth = { authorization: `Bearer ${token}` }
  const isFacilitator = role === 'facilitator'
  const date = (iso: string) =>
    new Date(iso).toLocaleDateString(language === 'en' ? 'en-GB' : 'nl-NL', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
    })

  const load = async () => {
    if (!isFacilitator) return
    const res = await fetch(`${base}/retention`, { headers: auth }).catch(() => null)
    if (res?.ok) setStatus((await res.json()) as RetentionStatus)
  }

  const postpone = async () => {
    const res = await fetch(`${base}/retention`, { method: 'POST', headers: auth })
    if (!res.ok) return setMessage(t.failed(String(res.status)))
    const next = (await res.json()) as RetentionStatus
    setStatus(next)
    if (next.deleteAfter) setMessage(t.lifePostponed(date(next.deleteAfter)))
  }

  const remove = async () => {
    if (!window.confirm(t.lifeConfirmDelete(title))) return
    const res = await fetch(base, { method: 'DELETE', headers: auth })
    if (!res.ok) return setMessage(t.failed(String(res.status)))
    // The server closes every connection with 4410, this one too; forget at once all the same.
    await session.forget('deleted')
  }

  const forget = async () => {
    if (!window.confirm(t.lifeConfirmForget)) return
    await session.forget('forgotten')
  }

  return (
    <details className="board-life" onToggle={(e) => (e.currentTarget.open ? void load() : undefined)}>
      <summary>{t.lifeTitle}</summary>
      <div className="board-life-body">
        {isFacilitator && status && (
          <section>
            <p data-delete-after={status.deleteAfter ?? ''}>
              {status.deleteAfter ? t.lifeDeleteAfter(date(status.deleteAfter)) : t.lifeKeptForever}
            </p>
            {status.deleteAfter && (
              <button className={BUTTON} type="button" onClick={() => void postpone()}>
                {t.lifePostpone}
              </button>
            )}
          </section>
        )}
        {isFacilitator && <ObserverNames doc={session.doc} />}
        <section>
          <p className="hint">{t.lifeDeviceHelp}</p>
          <button className={BUTTON} type="button" data-action="forget" onClick={() => void forget()}>
            {t.lifeForget}
          </button>
        </section>
        {isFacilitator && (
          <section>
            <button
              type="button"
              className={`${BUTTON_DANGER} danger`}
              data-action="delete-board"
              onClick={() => void remove()}
            >
              {t.lifeDelete}
            </button>
          </section>
        )}
        <p role="status">{message}</p>
      </div>
    </details>
  )
}

function ObserverNames({ doc }: { doc: Y.Doc }) {
  const { t } = useI18n()
  const allowed = useObserverExportNames(doc)
  return (
    <label className="board-life-names">
      <input
        type="checkbox"
        checked={allowed}
        onChange={(e) => setObserverExportNames(doc, e.target.checked, LOCAL)}
      />{' '}
      {t.lifeObserverNames}
    </label>
  )
}

/**
 * Where a link no longer works (a replaced link, or a board deleted while this browser was away), the
 * copy this device still keeps can be forgotten all the same.
 */
export function ForgetHere({ boardId, session }: { boardId: string; session?: BoardSession }) {
  const { t } = useI18n()
  const [done, setDone] = useState(false)
  if (done) return <p role="status">{t.boardForgotten}</p>
  const forget = async () => {
    if (!window.confirm(t.lifeConfirmForget)) return
    // An open session closes its copy first (a database still open cannot be deleted).
    if (session) await session.forget('forgotten')
    else await forgetBoard(boardId)
    setDone(true)
  }
  return (
    <button className={BUTTON} type="button" data-action="forget" onClick={() => void forget()}>
      {t.lifeForget}
    </button>
  )
}
