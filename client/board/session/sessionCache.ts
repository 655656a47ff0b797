import { BoardSession } from './session.js'

const opened = new Map<string, BoardSession>()
const keyOf = (boardId: string, token: string) => `${boardId}\n${token}`

/**
 * Opens the board's session ahead of time — connected, synced and stored in this browser's copy while
 * the person still types a name on the join screen — so the board shows at once after "Meedoen".
 * Presence stays empty until the board sets it: nobody sees a name before the person joined.
 */
export function openSessionEarly(boardId: string, token: string): void {
  const key = keyOf(boardId, token)
  if (!opened.has(key)) opened.set(key, new BoardSession(boardId, token))
}

/** The session opened early for this board and link, handed over once; else a new one. */
export function takeSession(boardId: string, token: string): BoardSession {
  const key = keyOf(boardId, token)
  const early = opened.get(key)
  opened.delete(key)
  return early ?? new BoardSession(boardId, token)
}
