import type { IncomingMessage, ServerResponse } from 'node:http'
import * as Y from 'yjs'
import { initBoard, readMeta } from '../model/board.js'
import { exportBoard, type LaneSelection } from '../model/export.js'
import { type ImportCard, importCards, importProblems } from '../model/import.js'
import { isReservedKey, templateOf } from '../model/layout.js'
import type { Template, Theme } from '../model/template.js'
import { authorize, tokenOf } from './access.js'
import { HttpError, readJson, sendJson } from './http.js'
import type { Logger } from './log.js'
import type { Rooms } from './rooms.js'
import { type Problem, validateImportCards, validateImportThemes } from './schemas.js'
import type { BoardStore } from './storage.js'
import { generateBoardId, generateTokens, hashTokens, ROLES, type Role } from './tokens.js'

export interface ApiDeps {
  store: BoardStore
  rooms: Rooms
  templates: Map<string, Template>
  log: Logger
  publicUrl: string
  maxBodyBytes: number
  tldrawLicenseKey: string
  stats: () => Record<string, number>
}

const LANES: readonly LaneSelection[] = ['shortlist', 'longlist', 'all']
const FORMATS = ['json'] as const
const BOARD_ROUTE = /^\/api\/boards\/([^/]+)(\/export|\/import)?$/

/** The HTTP API (docs/api.md). Returns false when the path is not an API route. */
export function createApi(deps: ApiDeps) {
  return async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const { pathname } = url
    const method = req.method ?? 'GET'
    if (pathname === '/healthz') {
      allow(method, ['GET', 'HEAD'])
      sendJson(res, 200, { status: 'ok', ...deps.stats() })
      return true
    }
    if (pathname === '/api/client-config') {
      allow(method, ['GET'])
      sendJson(res, 200, { tldrawLicenseKey: deps.tldrawLicenseKey || null })
      return true
    }
    if (pathname === '/api/templates') {
      allow(method, ['GET'])
      sendJson(res, 200, { templates: [...deps.templates.values()].map(summary) })
      return true
    }
    if (pathname === '/api/boards') {
      allow(method, ['POST'])
      await createBoard(req, res)
      return true
    }
    const match = BOARD_ROUTE.exec(pathname)
    if (!match) return false
    const boardId = match[1] as string
    const action = match[2]
    const role = await authorize(deps.store, boardId, tokenOf(url, req.headers.authorization))
    if (!role) throw new HttpError(401, 'Missing or invalid token')
    if (action === '/export') {
      allow(method, ['GET'])
      await exportRoute(res, boardId, url)
    } else if (action === '/import') {
      allow(method, ['POST'])
      if (role !== 'facilitator') throw new HttpError(403, 'Only the facilitator can import')
      await importRoute(req, res, boardId)
    } else {
      allow(method, ['GET'])
      await boardInfo(res, boardId, role)
    }
    return true
  }

  async function createBoard(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req, deps.maxBodyBytes)
    const { template: templateId, title } = (body ?? {}) as { template?: unknown; title?: unknown }
    const template = typeof templateId === 'string' ? deps.templates.get(templateId) : undefined
    if (!template) {
      const known = [...deps.templates.keys()]
      throw new HttpError(
        400,
        `Unknown template ${JSON.stringify(templateId)}; known templates: ${known.join(', ')}`,
        {
          templates: known,
        },
      )
    }
    if (title !== undefined && (typeof title !== 'string' || title.trim() === '' || title.length > 200)) {
      throw new HttpError(400, 'title must be a non-empty text of at most 200 characters')
    }
    const id = generateBoardId()
    const tokens = generateTokens()
    const doc = new Y.Doc()
    const now = Date.now()
    initBoard(doc, template, { id, title: typeof title === 'string' ? title.trim() : template.title, now })
    await deps.store.createBoard(
      { id, createdAt: now, tokenHashes: hashTokens(tokens) },
      Y.encodeStateAsUpdate(doc),
    )
    doc.destroy()
    const base = deps.publicUrl || `http://${req.headers.host ?? 'localhost'}`
    const links = Object.fromEntries(ROLES.map((role) => [role, `${base}/b/${id}?token=${tokens[role]}`]))
    deps.log.info({ board: id, template: template.id }, 'board created')
    sendJson(res, 201, { id, title: readableTitle(title, template), templateId: template.id, tokens, links })
  }

  async function exportRoute(res: ServerResponse, boardId: string, url: URL): Promise<void> {
    const format = url.searchParams.get('format') ?? 'json'
    const lane = (url.searchParams.get('lane') ?? 'shortlist') as LaneSelection
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw new HttpError(400, `Unsupported format "${format}"; supported: ${FORMATS.join(', ')}`)
    }
    if (!LANES.includes(lane)) throw new HttpError(400, `lane must be one of: ${LANES.join(', ')}`)
    const document = await deps.rooms.with(boardId, (room) => exportBoard(room.doc, { lane }))
    sendJson(res, 200, document, {
      'content-disposition': `attachment; filename="werkbord-${boardId}-${lane}.json"`,
    })
  }

  async function importRoute(req: IncomingMessage, res: ServerResponse, boardId: string): Promise<void> {
    const body = await readJson(req, deps.maxBodyBytes)
    const { cards, themes, cardsPath } = parseImport(body)
    const ids = await deps.rooms.with(boardId, async (room) => {
      const problems = importProblems(templateOf(room.doc), cards).map((p) => ({
        ...p,
        path: `${cardsPath}${p.path}`,
      }))
      if (problems.length > 0) throw new HttpError(400, 'Invalid import: nothing was imported', { problems })
      let created: string[] = []
      await room.change((doc) => {
        created = importCards(doc, cards, { themes })
      })
      return created
    })
    deps.log.info({ board: boardId, cards: ids.length }, 'cards imported')
    sendJson(res, 200, { imported: ids.length, ids })
  }

  async function boardInfo(res: ServerResponse, boardId: string, role: Role): Promise<void> {
    const meta = await deps.rooms.with(boardId, (room) => readMeta(room.doc))
    sendJson(res, 200, { id: boardId, title: meta.title, templateId: meta.templateId, role })
  }
}

/** The cards (and themes) of an import body, or a 400 listing every problem with its path. */
export function parseImport(body: unknown): { cards: ImportCard[]; themes: Theme[]; cardsPath: string } {
  const isArray = Array.isArray(body)
  const object =
    !isArray && body !== null && typeof body === 'object'
      ? (body as { cards?: unknown; themes?: unknown })
      : {}
  const cards = isArray ? body : object.cards
  const base = isArray ? '' : '/cards'
  if (!Array.isArray(cards)) {
    throw new HttpError(400, 'Invalid import: nothing was imported', {
      problems: [{ path: '/', message: 'expected a Werkbord export document or an array of cards' }],
    })
  }
  const at = (prefix: string, path: string) => prefix + (path === '/' ? '' : path) || '/'
  const problems: Problem[] = validateImportCards(cards).map((p) => ({ ...p, path: at(base, p.path) }))
  if (object.themes !== undefined) {
    problems.push(...validateImportThemes(object.themes).map((p) => ({ ...p, path: at('/themes', p.path) })))
  }
  cards.forEach((card: { fields?: Record<string, unknown> }, i) => {
    for (const key of Object.keys(card?.fields ?? {})) {
      if (isReservedKey(key)) {
        problems.push({
          path: `${base}/${i}/fields/${key}`,
          message: `"${key}" is reserved and cannot be a field`,
        })
      }
    }
  })
  if (problems.length > 0) throw new HttpError(400, 'Invalid import: nothing was imported', { problems })
  return {
    cards: cards.map((card: ImportCard) =>
      card.number === undefined ? { fields: card.fields } : { number: card.number, fields: card.fields },
    ),
    themes: (object.themes as Theme[] | undefined) ?? [],
    cardsPath: base,
  }
}

function allow(method: string, methods: string[]): void {
  if (!methods.includes(method)) {
    const allowed = methods.join(', ')
    throw new HttpError(405, `Method ${method} not allowed; use ${allowed}`, undefined, { allow: allowed })
  }
}

function summary(template: Template) {
  return {
    id: template.id,
    title: template.title,
    description: template.description,
    themes: template.themes.length,
    cards: template.cards?.length ?? 0,
  }
}

function readableTitle(title: unknown, template: Template): string {
  return typeof title === 'string' ? title.trim() : template.title
}
