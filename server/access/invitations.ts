import type { IncomingMessage, ServerResponse } from 'node:http'
import { customAlphabet } from 'nanoid'
import { HttpError, readBytes, readJson, sendJson } from '../http/http.js'
import { type Person, peopleOfTable } from '../import/people.js'
import { importKind } from '../import/prepare.js'
import { readCsv, readXlsx } from '../import/table.js'
import { checkUnpackedSize } from '../import/zip-guard.js'
import type { Logger } from '../log.js'
import type { Rooms } from '../realtime/rooms.js'
import type { BoardStore, InvitationRecord } from '../storage/store.js'
import { generateTokens, hashToken } from './tokens.js'

/** Invitations one board holds at most, and one request may add. */
export const MAX_INVITATIONS = 1000
/** Longest name and organisation of an invitee (characters). */
export const MAX_INVITEE_NAME = 100
export const MAX_ORGANISATION = 200
/** Largest CSV/XLSX list of people read by `/invitations/read`, and what an XLSX may unpack to. */
const MAX_LIST_BYTES = 1024 * 1024
const MAX_LIST_UNPACKED = 16 * 1024 * 1024

const newInvitationId = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 12)
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Zl}\p{Zp}]/gu

/** The voter key of an invitation: its own budget, whatever voter id the client sends (never 64 hex). */
export function invitationVoter(invitationId: string): string {
  return `invitation:${invitationId}`
}

/**
 * Personal invitations (docs/api.md, "Personal invitations"): the facilitator adds named people, each
 * gets a link of their own (only its token's hash is stored), sees who joined and who voted (never
 * what), revokes a link (its holders are disconnected at once, on every instance), and switches the
 * shared participant link off.
 */
export function createInvitations(deps: {
  store: BoardStore
  rooms: Rooms
  log: Logger
  publicUrl: string
  maxBodyBytes: number
}) {
  /** `sub`: the path after `/api/boards/:id` (`/invitations`, `/invitations/<id>`, `/shared-link`). */
  async function handle(req: IncomingMessage, res: ServerResponse, boardId: string, sub: string) {
    const method = req.method ?? 'GET'
    if (sub === '/shared-link') {
      allow(method, ['GET', 'POST'])
      if (method === 'GET') sendJson(res, 200, { enabled: await deps.store.sharedLinkEnabled(boardId) })
      else sendJson(res, 200, await switchSharedLink(req, boardId))
    } else if (sub === '/invitations') {
      allow(method, ['GET', 'POST'])
      if (method === 'GET') sendJson(res, 200, await status(boardId))
      else sendJson(res, 201, await invite(req, boardId))
    } else if (sub === '/invitations/read') {
      allow(method, ['POST'])
      sendJson(res, 200, await readList(req))
    } else {
      allow(method, ['DELETE'])
      sendJson(res, 200, await revoke(boardId, sub.slice('/invitations/'.length)))
    }
  }

  async function invite(req: IncomingMessage, boardId: string) {
    const body = (await readJson(req, deps.maxBodyBytes)) as { people?: unknown }
    const people = checkPeople(body?.people)
    const existing = (await deps.store.invitations(boardId)).length
    if (existing + people.length > MAX_INVITATIONS) {
      throw new HttpError(
        409,
        `A board holds at most ${MAX_INVITATIONS} invitations; it has ${existing}: nothing was added`,
      )
    }
    const now = Date.now()
    const made = people.map((person) => ({
      ...person,
      id: newInvitationId(),
      token: generateTokens().participant,
    }))
    const records: InvitationRecord[] = made.map(({ token, ...person }) => ({
      ...person,
      tokenHash: hashToken(token),
      createdAt: now,
      joinedAt: null,
    }))
    await deps.store.addInvitations(boardId, records)
    const base = deps.publicUrl || `http://${req.headers.host ?? 'localhost'}`
    deps.log.info({ board: boardId, invitations: made.length }, 'people invited')
    return {
      invitations: made.map(({ id, name, organisation, token }) => ({
        id,
        name,
        organisation,
        link: `${base}/b/${boardId}?token=${token}`,
        token,
      })),
    }
  }

  async function status(boardId: string) {
    const [invitations, enabled] = await Promise.all([
      deps.store.invitations(boardId),
      deps.store.sharedLinkEnabled(boardId),
    ])
    const voted = await Promise.all(
      invitations.map(
        async (i) => Object.keys(await deps.store.votesOf(boardId, invitationVoter(i.id))).length > 0,
      ),
    )
    return {
      sharedLink: enabled,
      invitations: invitations.map((i, n) => ({
        id: i.id,
        name: i.name,
        organisation: i.organisation,
        createdAt: new Date(i.createdAt).toISOString(),
        joinedAt: i.joinedAt === null ? null : new Date(i.joinedAt).toISOString(),
        voted: voted[n] as boolean,
      })),
    }
  }

  async function revoke(boardId: string, invitationId: string) {
    if (!(await deps.store.revokeInvitation(boardId, invitationId))) {
      throw new HttpError(404, 'No such invitation on this board')
    }
    const disconnected = await deps.rooms.disconnectWhere(boardId, { invitation: invitationId })
    deps.log.info({ board: boardId, disconnected }, 'invitation revoked')
    return { revoked: invitationId, disconnected }
  }

  async function switchSharedLink(req: IncomingMessage, boardId: string) {
    const body = (await readJson(req, deps.maxBodyBytes)) as { enabled?: unknown }
    if (typeof body?.enabled !== 'boolean')
      throw new HttpError(400, 'Send { "enabled": true } or { "enabled": false }')
    await deps.store.setSharedLinkEnabled(boardId, body.enabled)
    const disconnected = body.enabled ? 0 : await deps.rooms.disconnectWhere(boardId, { sharedLink: true })
    deps.log.info({ board: boardId, enabled: body.enabled, disconnected }, 'shared link switched')
    return { enabled: body.enabled, disconnected }
  }

  async function readList(req: IncomingMessage) {
    const kind = importKind(req.headers['content-type'], null)
    if (kind !== 'csv' && kind !== 'xlsx') throw new HttpError(415, 'Send a CSV (text/csv) or XLSX file')
    const body = await readBytes(req, Math.min(MAX_LIST_BYTES, deps.maxBodyBytes))
    let table: Awaited<ReturnType<typeof readXlsx>>
    if (kind === 'xlsx') {
      try {
        checkUnpackedSize(body, MAX_LIST_UNPACKED)
      } catch (error) {
        throw new HttpError(413, (error as Error).message)
      }
      table = await readXlsx(body)
    } else table = readCsv(body)
    const read = peopleOfTable(table)
    return { people: read.people.slice(0, MAX_INVITATIONS), problems: read.problems }
  }

  return { handle }
}

/** The people of an invitation request, checked: 1–MAX_INVITATIONS, each with a name. */
function checkPeople(value: unknown): Person[] {
  const shape = 'Send { "people": [{ "name": "…", "organisation": "…" }] } (organisation optional)'
  if (!Array.isArray(value) || value.length === 0) throw new HttpError(400, shape)
  if (value.length > MAX_INVITATIONS)
    throw new HttpError(400, `At most ${MAX_INVITATIONS} people at once: nothing was added`)
  return value.map((entry, i) => {
    const { name, organisation } = (entry ?? {}) as { name?: unknown; organisation?: unknown }
    const cleanedName = typeof name === 'string' ? tidy(name) : ''
    if (cleanedName === '' || cleanedName.length > MAX_INVITEE_NAME)
      throw new HttpError(400, `people[${i}].name must be a text of 1–${MAX_INVITEE_NAME} characters`)
    if (organisation != null && typeof organisation !== 'string')
      throw new HttpError(400, `people[${i}].organisation must be a text or absent`)
    const cleanedOrganisation = typeof organisation === 'string' ? tidy(organisation) : ''
    if (cleanedOrganisation.length > MAX_ORGANISATION)
      throw new HttpError(400, `people[${i}].organisation must be at most ${MAX_ORGANISATION} characters`)
    return { name: cleanedName, organisation: cleanedOrganisation === '' ? null : cleanedOrganisation }
  })
}

/** NFKC, without control or invisible characters, spaces collapsed. */
function tidy(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim()
}

function allow(method: string, methods: string[]): void {
  if (!methods.includes(method)) {
    const allowed = methods.join(', ')
    throw new HttpError(405, `Method ${method} not allowed; use ${allowed}`, undefined, { allow: allowed })
  }
}
