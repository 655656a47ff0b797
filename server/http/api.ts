import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Registry } from 'prom-client'
import * as Y from 'yjs'
import { initBoard, readMeta } from '../../model/board.js'
import { createCards } from '../../model/cards.js'
import type { LaneSelection } from '../../model/export.js'
import { importCards } from '../../model/import.js'
import { cardsOf, templateOf } from '../../model/layout.js'
import { readObserverExportNames } from '../../model/privacy.js'
import type { Template } from '../../model/template.js'
import { grant, tokenOf } from '../access/access.js'
import type { HourlyQuota } from '../access/address-limits.js'
import type { ClientAddresses } from '../access/client-address.js'
import { createInvitations } from '../access/invitations.js'
import { type OperatorAccess, operatorAccess } from '../access/operator-access.js'
import { generateBoardId, generateTokens, hashToken, hashTokens, ROLES, type Role } from '../access/tokens.js'
import type { Exchange } from '../exchange/exchange.js'
import { EXPORT_FORMATS, type ExportFormat } from '../export/render.js'
import { importKind } from '../import/prepare.js'
import type { Logger } from '../log.js'
import type { Rooms } from '../realtime/rooms.js'
import { REPORT_FORMATS, type ReportFormat } from '../report/render.js'
import { BoardFull } from '../rules/board-limits.js'
import { createVoting } from '../rules/voting.js'
import type { Retention } from '../storage/retention.js'
import type { BoardStore } from '../storage/store.js'
import { copyOfBoard, facilitatorsBoard } from '../templates/board-source.js'
import { Templates } from '../templates/instance-templates.js'
import { HttpError, readBytes, readJson, securityHeaders, sendJson } from './http.js'
import { createTemplateRoutes } from './template-routes.js'

export interface ApiDeps {
  store: BoardStore
  rooms: Rooms
  templates: Map<string, Template>
  log: Logger
  publicUrl: string
  maxBodyBytes: number
  tldrawLicenseKey: string
  stats: () => Record<string, number>
  metrics: Registry
  /** Exports and imports run here, off the event loop. */
  exchange: Exchange
  addresses: ClientAddresses
  /** BOARD_CREATE_TOKEN and METRICS_TOKEN (empty: only from this machine). */
  boardCreateToken: string
  metricsToken: string
  /** Board creations per client address and hour. */
  createQuota: HourlyQuota
  /** Cards a board may hold (0: no limit). */
  maxBoardCards: number
  /** Reachability of shared services (PostgreSQL, Redis) when used; any 'down' makes /healthz a 503. */
  health?: () => Promise<Record<string, 'up' | 'down'>>
  /** Automatic deletion of inactive boards (RETENTION_DAYS). */
  retention: Retention
}

const LANES: readonly LaneSelection[] = ['shortlist', 'longlist', 'all']
const BOARD_ROUTE =
  /^\/api\/boards\/([^/]+)(\/export|\/report|\/import|\/votes|\/votes\/reveal|\/merge|\/connections|\/tokens\/(?:facilitator|participant|observer)|\/invitations|\/invitations\/[A-Za-z0-9_-]{1,64}|\/shared-link|\/retention)?$/

/** The HTTP API (docs/api.md). Returns false when the path is not an API route. */
export function createApi(deps: ApiDeps) {
  const voting = createVoting(deps)
  const invitations = createInvitations(deps)
  // Built-in templates and those made on this instance (issue 12, server/templates/instance-templates.ts).
  const templates = new Templates(deps.store, deps.templates)
  const templateRoutes = createTemplateRoutes({
    ...deps,
    templates,
    requireCreateRight: (req) =>
      refuseOperator(
        operatorAccess(req, deps.boardCreateToken, deps.addresses),
        'BOARD_CREATE_TOKEN',
        'Making templates',
      ),
  })
  return async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const { pathname } = url
    const method = req.method ?? 'GET'
    if (pathname === '/healthz') {
      allow(method, ['GET', 'HEAD'])
      const services = (await deps.health?.()) ?? {}
      const down = Object.values(services).includes('down')
      sendJson(res, down ? 503 : 200, { status: down ? 'unavailable' : 'ok', ...deps.stats(), ...services })
      return true
    }
    if (pathname === '/metrics') {
      allow(method, ['GET'])
      refuseOperator(operatorAccess(req, deps.metricsToken, deps.addresses), 'METRICS_TOKEN', 'Metrics')
      const body = await deps.metrics.metrics()
      res.writeHead(200, { 'content-type': deps.metrics.contentType, 'cache-control': 'no-store' })
      res.end(body)
      return true
    }
    if (pathname === '/api/time') {
      // The server's clock, so every browser shows the facilitator's timer alike.
      allow(method, ['GET'])
      sendJson(res, 200, { now: Date.now() })
      return true
    }
    if (pathname === '/api/client-config') {
      allow(method, ['GET'])
      sendJson(res, 200, { tldrawLicenseKey: deps.tldrawLicenseKey || null })
      return true
    }
    if (await templateRoutes(req, res, pathname)) return true
    if (pathname === '/api/boards') {
      allow(method, ['POST'])
      await createBoard(req, res)
      return true
    }
    const match = BOARD_ROUTE.exec(pathname)
    if (!match) return false
    const boardId = match[1] as string
    const action = match[2]
    const access = await grant(deps.store, boardId, tokenOf(url, req.headers.authorization))
    if (access === 'shared-link-off') {
      throw new HttpError(
        403,
        'The shared participant link is switched off: ask the facilitator for your personal link',
        { sharedLinkOff: true },
      )
    }
    if (access === 'unauthorized') throw new HttpError(401, 'Missing or invalid token')
    const { role } = access
    if (action === '/export') {
      allow(method, ['GET'])
      await exportRoute(res, boardId, url, role)
    } else if (action === '/report') {
      allow(method, ['GET'])
      await reportRoute(res, boardId, url)
    } else if (action === '/connections') {
      allow(method, ['GET'])
      if (role !== 'facilitator') throw new HttpError(403, 'Only the facilitator sees who is connected')
      const room = await deps.rooms.loaded(boardId)
      sendJson(res, 200, { connections: room?.participants() ?? [] })
    } else if (action?.startsWith('/tokens/')) {
      allow(method, ['POST'])
      if (role !== 'facilitator') throw new HttpError(403, 'Only the facilitator replaces links')
      await rotateToken(req, res, boardId, action.slice('/tokens/'.length) as Role)
    } else if (action === '/votes' || action === '/votes/reveal' || action === '/merge') {
      await voting.handle(req, res, boardId, role, action, access.invitation?.id)
    } else if (action?.startsWith('/invitations') || action === '/shared-link') {
      if (role !== 'facilitator') throw new HttpError(403, 'Only the facilitator manages invitations')
      await invitations.handle(req, res, boardId, action)
    } else if (action === '/import') {
      allow(method, ['POST'])
      if (role !== 'facilitator') throw new HttpError(403, 'Only the facilitator can import')
      await importRoute(req, res, boardId, url)
    } else if (action === '/retention') {
      allow(method, ['GET', 'POST'])
      if (role !== 'facilitator')
        throw new HttpError(403, 'Only the facilitator sees when the board is deleted')
      const status =
        method === 'POST' ? await deps.retention.postpone(boardId) : await deps.retention.status(boardId)
      if (!status) throw new HttpError(401, 'Missing or invalid token')
      if (method === 'POST')
        deps.log.info({ board: boardId, deleteAfter: status.deleteAfter }, 'deletion postponed')
      sendJson(res, 200, status)
    } else if (method === 'DELETE') {
      if (role !== 'facilitator') throw new HttpError(403, 'Only the facilitator deletes the board')
      const { disconnected } = await deps.rooms.deleteBoard(boardId)
      deps.log.info({ board: boardId, disconnected }, 'board deleted by its facilitator')
      sendJson(res, 200, { deleted: boardId, disconnected })
    } else {
      allow(method, ['GET', 'DELETE'])
      await boardInfo(res, boardId, role, access.invitation)
    }
    return true
  }

  async function createBoard(req: IncomingMessage, res: ServerResponse): Promise<void> {
    refuseOperator(
      operatorAccess(req, deps.boardCreateToken, deps.addresses),
      'BOARD_CREATE_TOKEN',
      'Creating a board',
    )
    const wait = deps.createQuota.take(deps.addresses.of(req))
    if (wait > 0) {
      throw new HttpError(429, 'Too many boards created from this address; try again later', undefined, {
        'retry-after': String(wait),
      })
    }
    const body = await readJson(req, deps.maxBodyBytes)
    const {
      template: templateId,
      title,
      duplicate,
    } = (body ?? {}) as { template?: unknown; title?: unknown; duplicate?: unknown }
    // A duplicate: the facilitator's board, its structure and cards (server/templates/board-source.ts).
    const source =
      duplicate !== undefined
        ? await copyOfBoard(
            deps.rooms,
            await facilitatorsBoard(
              deps.store,
              (duplicate as { board?: unknown } | null)?.board,
              (duplicate as { token?: unknown } | null)?.token,
            ),
          )
        : undefined
    const template =
      source?.template ?? (typeof templateId === 'string' ? await templates.get(templateId) : undefined)
    if (!template) {
      const known = (await templates.list()).map((t) => t.id)
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
    // A template made on this instance (or a duplicate) may hold more starting cards than boards may.
    const startingCards = source ? source.cards.length : (template.cards?.length ?? 0)
    if (deps.maxBoardCards > 0 && startingCards > deps.maxBoardCards) {
      throw new HttpError(
        413,
        `The board would start with ${startingCards} cards; a board holds at most ${deps.maxBoardCards}`,
      )
    }
    const id = generateBoardId()
    const tokens = generateTokens()
    const doc = new Y.Doc()
    const now = Date.now()
    const boardTitle = typeof title === 'string' ? title.trim() : (source?.title ?? template.title)
    initBoard(doc, template, { id, title: boardTitle, now })
    if (source) createCards(doc, source.cards, { now })
    await deps.store.createBoard(
      { id, createdAt: now, tokenHashes: hashTokens(tokens) },
      Y.encodeStateAsUpdate(doc),
    )
    doc.destroy()
    const base = deps.publicUrl || `http://${req.headers.host ?? 'localhost'}`
    const links = Object.fromEntries(ROLES.map((role) => [role, `${base}/b/${id}?token=${tokens[role]}`]))
    deps.log.info({ board: id, template: template.id, duplicate: source !== undefined }, 'board created')
    sendJson(res, 201, { id, title: boardTitle, templateId: template.id, tokens, links })
  }

  async function exportRoute(res: ServerResponse, boardId: string, url: URL, role: Role): Promise<void> {
    const format = (url.searchParams.get('format') ?? 'json') as ExportFormat
    const lane = (url.searchParams.get('lane') ?? 'shortlist') as LaneSelection
    if (!EXPORT_FORMATS.includes(format)) {
      throw new HttpError(400, `Unsupported format "${format}"; supported: ${EXPORT_FORMATS.join(', ')}`)
    }
    if (!LANES.includes(lane)) throw new HttpError(400, `lane must be one of: ${LANES.join(', ')}`)
    // Only the board's state is taken here; building and rendering the export runs in a worker.
    const { state, names } = await deps.rooms.with(boardId, (room) => ({
      state: Y.encodeStateAsUpdate(room.doc),
      // Observers' exports leave out who moved what, unless the facilitator allowed names (docs/privacy.md).
      names: role !== 'observer' || readObserverExportNames(room.doc),
    }))
    const rendered = await deps.exchange.export(state, lane, format, names)
    const name = `${slug(rendered.title) || 'werkbord'}-${lane}.${rendered.extension}`
    res.writeHead(200, {
      'content-type': rendered.contentType,
      'content-length': rendered.body.length,
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'no-store',
      ...securityHeaders,
    })
    res.end(Buffer.from(rendered.body.buffer, rendered.body.byteOffset, rendered.body.byteLength))
  }

  /** The session report (server/report/): like an export, rendered in a worker; every role may get it. */
  async function reportRoute(res: ServerResponse, boardId: string, url: URL): Promise<void> {
    const format = (url.searchParams.get('format') ?? 'docx') as ReportFormat
    if (!REPORT_FORMATS.includes(format)) {
      throw new HttpError(400, `Unsupported format "${format}"; supported: ${REPORT_FORMATS.join(', ')}`)
    }
    const state = await deps.rooms.with(boardId, (room) => Y.encodeStateAsUpdate(room.doc))
    const rendered = await deps.exchange.report(state, format)
    const name = `${slug(rendered.title) || 'werkbord'}-rapport.${rendered.extension}`
    res.writeHead(200, {
      'content-type': rendered.contentType,
      'content-length': rendered.body.length,
      // The HTML report opens in the browser (to print it as PDF); the Word file is a download.
      'content-disposition': `${format === 'html' ? 'inline' : 'attachment'}; filename="${name}"`,
      'cache-control': 'no-store',
      ...securityHeaders,
    })
    res.end(Buffer.from(rendered.body.buffer, rendered.body.byteOffset, rendered.body.byteLength))
  }

  async function importRoute(
    req: IncomingMessage,
    res: ServerResponse,
    boardId: string,
    url: URL,
  ): Promise<void> {
    const kind = importKind(req.headers['content-type'], url.searchParams.get('format'))
    if (!kind) {
      throw new HttpError(
        415,
        'Send JSON (application/json), CSV (text/csv) or XLSX; or say ?format=json|csv|xlsx',
      )
    }
    const dryRun = ['1', 'true'].includes(url.searchParams.get('dryRun') ?? '')
    const body = await readBytes(req, deps.maxBodyBytes)
    const outcome = await deps.rooms.with(boardId, async (room) => {
      const prepared = await deps.exchange.prepareImport(kind, body, templateOf(room.doc))
      const cards = cardsOf(room.doc).size + prepared.cards.length
      if (deps.maxBoardCards > 0 && cards > deps.maxBoardCards) {
        throw new HttpError(
          413,
          `The board would hold ${cards} cards; a board holds at most ${deps.maxBoardCards}: nothing was imported`,
        )
      }
      if (dryRun) return { status: 200, body: { dryRun: true, ...prepared } }
      if (prepared.problems.length > 0) {
        throw new HttpError(400, 'Invalid import: nothing was imported', {
          problems: prepared.problems,
          columns: prepared.columns,
        })
      }
      let ids: string[] = []
      await room
        .change((doc) => {
          ids = importCards(doc, prepared.cards, { themes: prepared.themes })
        })
        .catch((error) => {
          if (error instanceof BoardFull) throw new HttpError(413, `${error.message}: nothing was imported`)
          throw error
        })
      deps.log.info({ board: boardId, cards: ids.length, kind }, 'cards imported')
      return { status: 200, body: { imported: ids.length, ids } }
    })
    sendJson(res, outcome.status, outcome.body)
  }

  /** A new token for one role: the old link stops working at once, its holders are disconnected. */
  async function rotateToken(
    req: IncomingMessage,
    res: ServerResponse,
    boardId: string,
    target: Role,
  ): Promise<void> {
    const token = generateTokens()[target]
    await deps.store.setTokenHash(boardId, target, hashToken(token))
    const disconnected = await deps.rooms.disconnectRole(boardId, target)
    const base = deps.publicUrl || `http://${req.headers.host ?? 'localhost'}`
    deps.log.info({ board: boardId, role: target, disconnected }, 'link replaced')
    sendJson(res, 200, { role: target, token, link: `${base}/b/${boardId}?token=${token}`, disconnected })
  }

  async function boardInfo(
    res: ServerResponse,
    boardId: string,
    role: Role,
    invitation: { name: string } | null,
  ): Promise<void> {
    const meta = await deps.rooms.with(boardId, (room) => readMeta(room.doc))
    // A personal link: the invitee's name, filled in on the join screen.
    const invitee = invitation ? { invitee: { name: invitation.name } } : {}
    sendJson(res, 200, { id: boardId, title: meta.title, templateId: meta.templateId, role, ...invitee })
  }
}

/** Refuses an operator route (metrics, creating boards) unless `access` allows it. */
function refuseOperator(access: OperatorAccess, setting: string, what: string): void {
  if (access === 'needs-token') {
    throw new HttpError(
      401,
      `${what} needs the token set in ${setting}`,
      { needsToken: true },
      {
        'www-authenticate': 'Bearer',
      },
    )
  }
  if (access === 'only-local') {
    throw new HttpError(
      403,
      `${what} is open only on the server's own machine until the administrator sets ${setting}`,
      { onlyLocal: true },
    )
  }
}

function allow(method: string, methods: string[]): void {
  if (!methods.includes(method)) {
    const allowed = methods.join(', ')
    throw new HttpError(405, `Method ${method} not allowed; use ${allowed}`, undefined, { allow: allowed })
  }
}

/** A file-name-safe version of a title: "Werksessie Pact 7.1" → "werksessie-pact-7-1". */
function slug(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
}
