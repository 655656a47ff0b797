import { rememberBoard } from '../../start/myBoards.js'
import type { Role } from '../session/roles.js'

export interface BoardInfo {
  id: string
  title: string
  role: Role
  /** A personal invitation's link: the invitee's name (docs/api.md, "Personal invitations"). */
  invitee?: { name: string }
}

export type BoardInfoResult =
  | { ok: true; info: BoardInfo }
  | { ok: false; reason: 'unauthorized' | 'unreachable' | 'shared-link-off' }

const cacheKey = (boardId: string) => `werkbord.board.${boardId}`

const asked = new Map<string, Promise<BoardInfoResult>>()

/**
 * Who we are on this board (role from the token) and its title. Remembered per board, so a board
 * opened before also opens while offline. Asked once per page and link: the join screen's question
 * is the board's answer too.
 */
export function fetchBoardInfo(boardId: string, token: string): Promise<BoardInfoResult> {
  const key = `${boardId}\n${token}`
  let answer = asked.get(key)
  if (!answer) {
    answer = askBoardInfo(boardId, token)
    asked.set(key, answer)
    // A failure is not kept: the next question asks again.
    void answer.then((result) => result.ok || asked.delete(key))
  }
  return answer
}

async function askBoardInfo(boardId: string, token: string): Promise<BoardInfoResult> {
  try {
    const res = await fetch(`/api/boards/${encodeURIComponent(boardId)}`, {
      headers: { authorization: `Bearer ${token}` },
    })
    if (res.status === 401) return { ok: false, reason: 'unauthorized' }
    if (res.status === 403 && ((await res.json()) as { sharedLinkOff?: boolean }).sharedLinkOff)
      return { ok: false, reason: 'shared-link-off' }
    if (!res.ok) throw new Error(String(res.status))
    return accepted(token, (await res.json()) as BoardInfo)
  } catch {
    const cached = localStorage.getItem(cacheKey(boardId))
    if (cached) {
      const info = JSON.parse(cached) as BoardInfo & { token: string }
      if (info.token === token)
        return {
          ok: true,
          info: {
            id: info.id,
            title: info.title,
            role: info.role,
            ...(info.invitee ? { invitee: info.invitee } : {}),
          },
        }
    }
    return { ok: false, reason: 'unreachable' }
  }
}

/** The server's answer for a link: kept for offline use, and a facilitator's board joins Mijn borden. */
function accepted(token: string, info: BoardInfo): BoardInfoResult {
  try {
    localStorage.setItem(cacheKey(info.id), JSON.stringify({ ...info, token }))
  } catch {
    // Storage refused (private mode, full): the info still holds for this page.
  }
  // Opened with the facilitator link: the board joins "Mijn borden" on the start page.
  if (info.role === 'facilitator') rememberBoard({ id: info.id, title: info.title, token })
  return { ok: true, info }
}

const ROLES: readonly unknown[] = ['facilitator', 'participant', 'observer']

/**
 * The board's info that came with the page: the server puts it there when the link's token grants
 * access (server/http/board-page.ts), sparing the join screen a round trip. Taken once; from then on
 * it is this page's answer for the board and the link, as if fetchBoardInfo had asked.
 */
export function takeInfoFromPage(boardId: string, token: string): void {
  const element = document.getElementById('board-info')
  if (!element) return
  element.remove()
  let info: BoardInfo
  try {
    info = JSON.parse(element.textContent ?? '') as BoardInfo
  } catch {
    return
  }
  if (info?.id !== boardId || typeof info.title !== 'string' || !ROLES.includes(info.role)) return
  const invitee = typeof info.invitee?.name === 'string' ? { invitee: { name: info.invitee.name } } : {}
  const result = accepted(token, { id: info.id, title: info.title, role: info.role, ...invitee })
  asked.set(`${boardId}\n${token}`, Promise.resolve(result))
}

/** The token this browser last opened the board with (kept with its cached info), if any. */
export function cachedToken(boardId: string): string | null {
  try {
    const cached = localStorage.getItem(cacheKey(boardId))
    const token = cached ? (JSON.parse(cached) as { token?: unknown }).token : null
    return typeof token === 'string' ? token : null
  } catch {
    return null
  }
}
