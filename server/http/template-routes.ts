import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Logger } from '../log.js'
import type { Rooms } from '../realtime/rooms.js'
import type { BoardStore } from '../storage/store.js'
import { facilitatorsBoard, templateOfBoard } from '../templates/board-source.js'
import { TEMPLATE_LIMITS, type Templates } from '../templates/instance-templates.js'
import { HttpError, readJson, sendJson } from './http.js'

export interface TemplateRouteDeps {
  store: BoardStore
  rooms: Rooms
  templates: Templates
  log: Logger
  maxBodyBytes: number
  /** Throws unless the request has the board-creation right (BOARD_CREATE_TOKEN, or this machine). */
  requireCreateRight: (req: IncomingMessage) => void
}

const TEMPLATE_ROUTE = /^\/api\/templates(?:\/([^/]+))?$/

/**
 * The templates boards are made from (docs/api.md): listing them is open to all, like the start page;
 * adding (an upload, or a board saved as a template), reading one whole and deleting one need the
 * board-creation right. Returns false when the path is not a template route.
 */
export function createTemplateRoutes(deps: TemplateRouteDeps) {
  return async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    pathname: string,
  ): Promise<boolean> {
    const match = TEMPLATE_ROUTE.exec(pathname)
    if (!match) return false
    const method = req.method ?? 'GET'
    const id = match[1]
    if (id === undefined) {
      allow(method, ['GET', 'POST'])
      if (method === 'GET') sendJson(res, 200, { templates: await deps.templates.list() })
      else await add(req, res)
      return true
    }
    allow(method, ['GET', 'DELETE'])
    deps.requireCreateRight(req)
    const templateId = decoded(id)
    if (method === 'GET') {
      const template = await deps.templates.get(templateId)
      if (!template) throw new HttpError(404, 'No such template')
      sendJson(res, 200, template)
    } else {
      await deps.templates.remove(templateId)
      deps.log.info({ template: templateId }, 'template deleted')
      sendJson(res, 200, { deleted: templateId })
    }
    return true
  }

  async function add(req: IncomingMessage, res: ServerResponse): Promise<void> {
    deps.requireCreateRight(req)
    // An upload may be as large as a template may be, plus its wrapping; never more than MAX_BODY_BYTES.
    const body = await readJson(req, Math.min(deps.maxBodyBytes, TEMPLATE_LIMITS.bytes + 1024))
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new HttpError(400, 'Send { "template": { … } } or { "board": "…", "token": "…", "cards": true }')
    }
    const request = body as Record<string, unknown>
    let data: unknown
    let source: string
    if ('template' in request) {
      data = request.template
      source = 'upload'
    } else {
      const boardId = await facilitatorsBoard(deps.store, request.board, request.token)
      const { cards, title, description } = request
      if (cards !== undefined && typeof cards !== 'boolean')
        throw new HttpError(400, 'cards must be true or false')
      const template = await templateOfBoard(deps.rooms, boardId, cards === true)
      data = {
        ...template,
        ...(title !== undefined ? { title } : {}),
        ...(description !== undefined ? { description } : {}),
      }
      source = `board ${boardId}`
    }
    const summary = await deps.templates.add(data)
    deps.log.info({ template: summary.id, source }, 'template saved')
    sendJson(res, 201, summary)
  }
}

/** A path segment as text; one that is not valid percent-encoding names no template. */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    throw new HttpError(404, 'No such template')
  }
}

function allow(method: string, methods: string[]): void {
  if (!methods.includes(method)) {
    const allowed = methods.join(', ')
    throw new HttpError(405, `Method ${method} not allowed; use ${allowed}`, undefined, { allow: allowed })
  }
}
