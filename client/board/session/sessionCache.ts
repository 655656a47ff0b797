import { BoardSession } from './session.js'

const keyOf = (boardId: string, token: string) => `${boardId}\n${token}`
/** Sessions opened ahead of the board, not yet taken. */
const opened = new Map<string, BoardSession>()
/** Boards (and links) whose board has taken its session: from then on it owns the session's life. */
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
  if (opened.has(key) || taken.has(key)) return
  opened.set(key, new BoardSession(boardId, token))
}

/**
 * The board's session: the one opened early for this board and link, handed over once; else a new
 * one. The board destroys it when it goes (a board shown again takes a new one).
 */
export function takeSession(boardId: string, token: string): BoardSession {
  const key = keyOf(boardId, token)
  taken.add(key)
  const early = opened.get(key)
  opened.delete(key)
  return early ?? new BoardSession(boardId, token)
}
