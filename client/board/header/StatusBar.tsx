import { useI18n } from '../../i18n.js'
import { useSessionState } from '../hooks.js'
import type { Peer } from '../session/presence.js'
import type { BoardSession } from '../session/session.js'

/** Connection state, unsent changes, and who is online. */
export function StatusBar({ session, peers }: { session: BoardSession; peers: Peer[] }) {
  const { t } = useI18n()
  const state = useSessionState(session)
  return (
    <div className="status">
      <span
        className={`connection connection-${state.connection}`}
        role="status"
        data-connection={state.connection}
      >
        {t.connection[state.connection]}
      </span>
      <span
        className="unsent"
        role="status"
        data-unsent={state.unsent}
        data-saved-locally={state.savedLocally}
      >
        {state.unsent > 0 ? t.unsent(state.unsent) : t.allSaved}
      </span>
      <details className="participants">
        <summary>{t.participants(peers.length)}</summary>
        <ul aria-label={t.participants(peers.length)}>
          {peers.map((peer) => (
            <li key={peer.clientId}>
              <span className="dot" style={{ background: peer.user.color }} aria-hidden="true" />
              {peer.user.name}
              {/* The role is the server's word (from the link), so a name cannot claim one. */}
              {peer.role && <span className="peer-role"> · {t.role[peer.role]}</span>}
              {peer.self ? ` (${t.you})` : ''}
            </li>
          ))}
        </ul>
      </details>
    </div>
  )
}
