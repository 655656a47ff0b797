import type { BoardTemplate } from '../../model/template.js'
import type { Peer } from '../board/presence.js'
import type { BoardSession } from '../board/session.js'

interface Props {
  session: BoardSession
  template: BoardTemplate
  readOnly: boolean
  peers: Peer[]
}

/** Placeholder until the tldraw canvas lands; loaded lazily so the list view starts fast. */
export default function Canvas(_props: Props) {
  return <p className="loading">Canvas…</p>
}
