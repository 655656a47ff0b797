import { useCallback, useState } from 'react'
import { BUTTON } from '../../controls.js'
import { useI18n } from '../../i18n.js'
import type { Role } from '../session/roles.js'

const ROLES: readonly Role[] = ['facilitator', 'participant', 'observer']

/** The facilitator's view of who is connected with which role, and replacing a link that leaked. */
export function PeoplePanel({ boardId, token }: { boardId: string; token: string }) {
  const { t } = useI18n()
  const [connections, setConnections] = useState<{ role: Role; name: string | null }[]>([])
  const [links, setLinks] = useState<Partial<Record<Role, string>>>({})
  const auth = { authorization: `Bearer ${token}` }
  const base = `/api/boards/${encodeURIComponent(boardId)}`

  const refresh = useCallback(async () => {
    const res = await fetch(`${base}/connections`, { headers: { authorization: `Bearer ${token}` } })
    if (res.ok)
      setConnections(
        ((await res.json()) as { connections: { role: Role; name: string | null }[] }).connections,
      )
  }, [base, token])

  const replace = async (role: Role) => {
    if (!window.confirm(t.confirmReplace(t.role[role]))) return
    const res = await fetch(`${base}/tokens/${role}`, { method: 'POST', headers: auth })
    if (!res.ok) return
    const { link } = (await res.json()) as { link: string }
    setLinks((current) => ({ ...current, [role]: link }))
    // The facilitator's own link changed: continue on the new one.
    if (role === 'facilitator') window.location.replace(link)
    else void refresh()
  }

  return (
    <details className="people" onToggle={(e) => (e.currentTarget.open ? void refresh() : undefined)}>
      <summary>{t.people}</summary>
      <button className={BUTTON} type="button" onClick={() => void refresh()}>
        {t.refresh}
      </button>
      <table>
        <tbody>
          {ROLES.map((role) => {
            const here = connections.filter((c) => c.role === role)
            return (
              <tr key={role} data-role={role}>
                <th scope="row">
                  {t.role[role]} ({here.length})
                </th>
                <td>{here.map((c) => c.name ?? t.nameless).join(', ')}</td>
                <td>
                  <button
                    className={BUTTON}
                    type="button"
                    data-action={`replace-${role}`}
                    onClick={() => void replace(role)}
                  >
                    {t.replaceLink(t.role[role])}
                  </button>
                  {links[role] && (
                    <div className="new-link">
                      {t.newLink(t.role[role])}: <a href={links[role]}>{links[role]}</a>
                    </div>
                  )}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </details>
  )
}
