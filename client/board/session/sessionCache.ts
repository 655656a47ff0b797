import { BoardSession } from './session.js'

const keyOf = (boardId: string, token: string) => `${boardId}\n${token}`
/** The open session of each board (and link) on this page: opened early, or taken by the board. */
const open = new Map<string, BoardSession>()
/** Boards (and links) the board has taken a session for: from then on the board owns its sessions. */
const taken = new Set<string>()

/**
 * Opens the board's session ahead of time (client/main.ts) — connected, synced and stored in this
 * browser's copy while React starts, or while the person still types a name on the join screen — so
 * the board shows its content as soon as it renders. Presence stays empty until the board sets it:
 * nobody sees a name before the person joined. Exactly one session per board and page, whichever comes
 * first: once the board has taken its session (takeSession), opening early does nothing.
 */
export function openSessionEarly(boardId: string, token: string): void {
  const key = keyOf(boardId, token)
  if (open.has(key) || taken.has(key)) return
  open.set(key, new BoardSession(boardId, token))
}

/**
 * The board's session: the one open for this board and link (opened early, or taken by a render
 * React threw away and did again), else a new one. Taking it twice gives the same session: a render is
 * not an event, and React may render a component more than once before it shows it. It stays open
 * until the board releases it.
 */
export function takeSession(boardId: string, token: string): BoardSession {
  const key = keyOf(boardId, token)
  taken.add(key)
  let session = open.get(key)
  if (!session) {
    session = new BoardSession(boardId, token)
    open.set(key, session)
  }
  return session
}

/** The board is gone (unmounted): its session closes; a board shown again takes a new one. */
export function releaseSession(session: BoardSession, token: string): void {
  const key = keyOf(session.boardId, token)
  if (open.get(key) === session) open.delete(key)
  session.destroy()
}
