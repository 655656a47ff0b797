import fs from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import path from 'node:path'
import { readMeta } from '../../model/board.js'
import { grant } from '../access/access.js'
import type { Rooms } from '../realtime/rooms.js'
import type { BoardStore } from '../storage/store.js'
import { securityHeaders } from './http.js'

const BOARD_PAGE = /^\/b\/([^/]+)$/

/** How long a served board page keeps its board's room loaded for the WebSocket that follows. */
export const ROOM_WARM_MS = 30_000

/** Where the page carries the board's info; the client reads it (client/board/join/boardInfo.ts). */
export const BOARD_INFO_ELEMENT = 'board-info'

export interface BoardPageDeps {
  clientDir: string
  store: BoardStore
  rooms: Rooms
  /** The organisation's stylesheet (THEME_CSS, server/http/theme.ts): linked last, as on every page. */
  themeHref?: string | null
}

/**
 * A board link opened with its token (`/b/<id>?token=…`, as handed out): the page shell with the
 * board's info in it — what `GET /api/boards/<id>` answers for that token (id, title, role, the
 * invitee's name) — so the join screen shows without a second round trip. Only for a token that
 * grants access: any other request (no token, a wrong one, the shared link while it is switched off)
 * is not handled here and gets the plain shell from the static files, the same for all. Never stored
 * (`no-store`): it names the board and, for a personal link, the person.
 */
export function createBoardPage({ clientDir, store, rooms, themeHref = null }: BoardPageDeps) {
  const shell = path.join(path.resolve(clientDir), 'index.html')
  return async function serve(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false
    const match = BOARD_PAGE.exec(url.pathname)
    const token = url.searchParams.get('token')
    if (!match || !token) return false
    let boardId: string
    try {
      boardId = decodeURIComponent(match[1] as string)
    } catch {
      return false
    }
    const access = await grant(store, boardId, token)
    if (access === 'unauthorized' || access === 'shared-link-off') return false
    let html: string
    try {
      html = fs.readFileSync(shell, 'utf8')
    } catch {
      return false
    }
    let meta: ReturnType<typeof readMeta>
    try {
      meta = await rooms.with(boardId, (room) => readMeta(room.doc))
    } catch {
      // Deleted meanwhile, or storage failing: the plain shell, and the client asks the API.
      return false
    }
    // The page's WebSocket follows within moments (or once a name is typed): its room stays loaded.
    rooms.keepWarm(boardId, ROOM_WARM_MS)
    const info = {
      id: boardId,
      title: meta.title,
      templateId: meta.templateId,
      role: access.role,
      ...(access.invitation ? { invitee: { name: access.invitation.name } } : {}),
    }
    const theme = themeHref ? `<link rel="stylesheet" href="${themeHref}">` : ''
    const page = html.replace('</head>', `${infoElement(info)}${theme}</head>`)
    const body = Buffer.from(page, 'utf8')
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': body.length,
      'cache-control': 'no-store',
      ...securityHeaders,
    })
    res.end(req.method === 'HEAD' ? undefined : body)
    return true
  }
}

/**
 * A data block (not run: the Content-Security-Policy allows no inline script, and needs not) holding
 * the info as JSON. `<` is escaped, so no title can close the element or open a comment in it.
 */
export function infoElement(info: object): string {
  const json = JSON.stringify(info)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
  return `<script type="application/json" id="${BOARD_INFO_ELEMENT}">${json}</script>`
}
