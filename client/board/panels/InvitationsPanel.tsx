import { type ChangeEvent, type FormEvent, useCallback, useEffect, useRef, useState } from 'react'
import { useI18n } from '../../i18n.js'
import { InvitationSheet } from './InvitationSheet.js'
import './invitations.css'
import { BUTTON, TEXTAREA, TEXTBOX } from '../../controls.js'
import { forgetLink, knownLinks, parsePeopleList, rememberLinks } from './invitationLinks.js'

interface Invitee {
  id: string
  name: string
  organisation: string | null
  joinedAt: string | null
  voted: boolean
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const REFRESH_MS = 10_000

/**
 * The facilitator's invitations (docs/api.md, "Personal invitations"): add people one by one, as a
 * pasted list or from a CSV/XLSX file; see per person whether they joined and voted (never what);
 * copy or revoke a personal link; print the sheet of QR codes; switch the shared participant link off.
 */
export function InvitationsPanel({
  boardId,
  token,
  title,
}: {
  boardId: string
  token: string
  title: string
}) {
  const { t } = useI18n()
  const [invitees, setInvitees] = useState<Invitee[]>([])
  const [sharedLink, setSharedLink] = useState(true)
  const [links, setLinks] = useState<Record<string, string>>(() => knownLinks(boardId))
  const [one, setOne] = useState({ name: '', organisation: '' })
  const [list, setList] = useState('')
  const [message, setMessage] = useState('')
  const [problem, setProblem] = useState('')
  const [sheet, setSheet] = useState(false)
  const [copied, setCopied] = useState<string | null>(null)
  const printButton = useRef<HTMLButtonElement>(null)
  const closeSheet = useCallback(() => {
    setSheet(false)
    // Back where the facilitator was (the board is shown again once the sheet is gone).
    requestAnimationFrame(() => printButton.current?.focus())
  }, [])
  const base = `/api/boards/${encodeURIComponent(boardId)}`
  const auth = { authorization: `Bearer ${token}` }

  const refresh = useCallback(async () => {
    const res = await fetch(`${base}/invitations`, { headers: { authorization: `Bearer ${token}` } })
    if (!res.ok) return
    const body = (await res.json()) as { sharedLink: boolean; invitations: Invitee[] }
    setInvitees(body.invitations)
    setSharedLink(body.sharedLink)
  }, [base, token])

  // While the panel is open, who joined and voted is asked again every few seconds.
  const [open, setOpen] = useState(false)
  useEffect(() => {
    if (!open) return
    void refresh()
    const timer = setInterval(() => void refresh(), REFRESH_MS)
    return () => clearInterval(timer)
  }, [open, refresh])

  const add = async (people: { name: string; organisation?: string }[]): Promise<boolean> => {
    setProblem('')
    if (people.length === 0) return false
    const res = await fetch(`${base}/invitations`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ people }),
    })
    const body = (await res.json()) as { invitations?: { id: string; link: string }[]; error?: string }
    if (!res.ok || !body.invitations) {
      setProblem(body.error ?? t.loadFailed)
      return false
    }
    setLinks(rememberLinks(boardId, Object.fromEntries(body.invitations.map((i) => [i.id, i.link]))))
    setMessage(t.invitedCount(body.invitations.length))
    await refresh()
    return true
  }

  const addOne = async (event: FormEvent) => {
    event.preventDefault()
    const person = { name: one.name.trim(), organisation: one.organisation.trim() }
    if (!person.name) return
    if (await add([person.organisation ? person : { name: person.name }]))
      setOne({ name: '', organisation: '' })
  }

  const addList = async (event: FormEvent) => {
    event.preventDefault()
    if (await add(parsePeopleList(list))) setList('')
  }

  const readFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0]
    event.target.value = ''
    if (!file) return
    const type = /\.xlsx$/i.test(file.name) ? XLSX : 'text/csv'
    const res = await fetch(`${base}/invitations/read`, {
      method: 'POST',
      headers: { ...auth, 'content-type': type },
      body: file,
    })
    const body = (await res.json()) as {
      people?: { name: string; organisation: string | null }[]
      error?: string
    }
    if (!res.ok || !body.people) {
      setProblem(body.error ?? t.loadFailed)
      return
    }
    // Into the list field first: the facilitator sees and corrects it before inviting.
    setList(body.people.map((p) => (p.organisation ? `${p.name}, ${p.organisation}` : p.name)).join('\n'))
    setMessage(t.readPeople(body.people.length))
  }

  const revoke = async (invitee: Invitee) => {
    if (!window.confirm(t.confirmRevoke(invitee.name))) return
    const res = await fetch(`${base}/invitations/${encodeURIComponent(invitee.id)}`, {
      method: 'DELETE',
      headers: auth,
    })
    if (!res.ok && res.status !== 404) return
    setLinks(forgetLink(boardId, invitee.id))
    setMessage(t.revoked(invitee.name))
    await refresh()
  }

  const switchShared = async (enabled: boolean) => {
    if (!enabled && !window.confirm(t.confirmSharedOff)) return
    const res = await fetch(`${base}/shared-link`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ enabled }),
    })
    if (!res.ok) return
    setSharedLink(enabled)
    setMessage(enabled ? t.sharedOnDone : t.sharedOffDone)
  }

  const copy = async (id: string) => {
    const link = links[id]
    if (!link) return
    await navigator.clipboard?.writeText(link).catch(() => {})
    setCopied(id)
  }

  const printable = invitees.flatMap((i) => (links[i.id] ? [{ ...i, link: links[i.id] as string }] : []))
  const joined = invitees.filter((i) => i.joinedAt).length
  const voted = invitees.filter((i) => i.voted).length

  return (
    <details className="invitations" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t.invitations}</summary>
      <p className="visually-hidden" role="status">
        {message}
      </p>
      {message && <p className="hint">{message}</p>}
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
      <label className="shared-switch">
        <input
          type="checkbox"
          data-action="shared-link"
          checked={sharedLink}
          onChange={(e) => void switchShared(e.target.checked)}
        />
        {t.sharedLink}
      </label>
      <p className="hint">{t.sharedLinkHelp}</p>
      <div className="invite-forms">
        <form onSubmit={addOne} className="invite-one">
          <label>
            {t.inviteName}
            <input
              className={TEXTBOX}
              name="invitee-name"
              value={one.name}
              maxLength={100}
              required
              onChange={(e) => setOne({ ...one, name: e.target.value })}
            />
          </label>
          <label>
            {t.inviteOrganisation}
            <input
              className={TEXTBOX}
              name="invitee-organisation"
              value={one.organisation}
              maxLength={200}
              onChange={(e) => setOne({ ...one, organisation: e.target.value })}
            />
          </label>
          <button className={BUTTON} type="submit">
            {t.inviteOne}
          </button>
        </form>
        <form onSubmit={addList} className="invite-list">
          <label>
            {t.inviteList}
            <textarea
              className={TEXTAREA}
              name="invitee-list"
              rows={4}
              value={list}
              onChange={(e) => setList(e.target.value)}
            />
          </label>
          <label>
            {t.inviteFile}
            <input type="file" accept=".csv,.xlsx,text/csv" onChange={(e) => void readFile(e)} />
          </label>
          <button className={BUTTON} type="submit" data-action="invite-list">
            {t.inviteListAdd}
          </button>
        </form>
      </div>
      {invitees.length > 0 && (
        <>
          <div className="invite-summary">
            <span>{t.inviteSummary(invitees.length, joined, voted)}</span>
            <button className={BUTTON} type="button" onClick={() => void refresh()}>
              {t.refresh}
            </button>
            <button
              className={BUTTON}
              type="button"
              data-action="print-sheet"
              ref={printButton}
              disabled={printable.length === 0}
              onClick={() => setSheet(true)}
            >
              {t.print}
            </button>
          </div>
          <div className="invite-table">
            <table>
              <caption className="visually-hidden">{t.invitations}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.inviteName}</th>
                  <th scope="col">{t.organisationColumn}</th>
                  <th scope="col">{t.joinedColumn}</th>
                  <th scope="col">{t.votedColumn}</th>
                  <th scope="col">{t.linkColumn}</th>
                </tr>
              </thead>
              <tbody>
                {invitees.map((invitee) => (
                  <tr key={invitee.id} data-invitee={invitee.name}>
                    <th scope="row">{invitee.name}</th>
                    <td data-label={t.organisationColumn}>{invitee.organisation ?? ''}</td>
                    <td data-joined={invitee.joinedAt ? 'yes' : 'no'} data-label={t.joinedColumn}>
                      {invitee.joinedAt ? t.joinedAt(new Date(invitee.joinedAt)) : t.no}
                    </td>
                    <td data-voted={invitee.voted ? 'yes' : 'no'} data-label={t.votedColumn}>
                      {invitee.voted ? t.yes : t.no}
                    </td>
                    <td className="invite-actions">
                      {links[invitee.id] ? (
                        <button
                          className={BUTTON}
                          type="button"
                          onClick={() => void copy(invitee.id)}
                          aria-label={`${copied === invitee.id ? t.copied : t.copyLink}: ${invitee.name}`}
                        >
                          {copied === invitee.id ? t.copied : t.copyLink}
                        </button>
                      ) : (
                        <span className="hint">{t.linkElsewhere}</span>
                      )}
                      <button
                        className={BUTTON}
                        type="button"
                        data-action="revoke"
                        onClick={() => void revoke(invitee)}
                        aria-label={t.revokeOf(invitee.name)}
                      >
                        {t.revoke}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {sheet && <InvitationSheet title={title} people={printable} onClose={closeSheet} />}
    </details>
  )
}
