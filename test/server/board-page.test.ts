import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../server/app.js'
import { connectClient } from '../helpers/clients.js'
import { type BoardInfo, createBoard, startServer, tempDir } from '../helpers/server.js'

// A board link opened with its token: the page carries the board's info, so the join screen needs no
// second round trip (server/http/board-page.ts) — and only then: never the title without a valid token.

const SHELL =
  '<!doctype html><html><head><title>Werkbord</title></head><body><div id="root"></div></body></html>'
const TITLE = 'Werksessie </script><script>alert(1)</script><!-- & \u2028 (slot)'

let app: App
let board: BoardInfo

beforeAll(async () => {
  const dir = tempDir('werkbord-page-')
  fs.writeFileSync(path.join(dir, 'index.html'), SHELL)
  app = await startServer({ clientDir: dir })
  board = await createBoard(app.url, 'blank', TITLE)
})
afterAll(() => app.close())

const page = (query: string, id = board.id, init: RequestInit = {}) =>
  fetch(`${app.url}/b/${id}${query}`, init)

/** The info the page carries, or null when it is the plain shell. */
async function carried(res: Response): Promise<Record<string, unknown> | null> {
  const html = await res.text()
  const block = /<script type="application\/json" id="board-info">(.*?)<\/script>/s.exec(html)
  if (!block) {
    expect(html).toBe(SHELL)
    return null
  }
  return JSON.parse(block[1] as string) as Record<string, unknown>
}

const apiInfo = async (token: string) =>
  (await fetch(`${app.url}/api/boards/${board.id}`, { headers: { authorization: `Bearer ${token}` } })).json()

describe('a board link’s page', () => {
  it('[BP1] with a valid token the page carries what GET /api/boards/:id answers for it, never stored', async () => {
    for (const role of ['facilitator', 'participant', 'observer'] as const) {
      const res = await page(`?token=${board.tokens[role]}`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(res.headers.get('cache-control')).toBe('no-store')
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'")
      expect(res.headers.get('referrer-policy')).toBe('no-referrer')
      const info = await carried(res)
      expect(info).toEqual(await apiInfo(board.tokens[role]))
      expect(info?.role).toBe(role)
    }
    // HEAD: the same headers, no body.
    const head = await page(`?token=${board.tokens.participant}`, board.id, { method: 'HEAD' })
    expect(head.headers.get('cache-control')).toBe('no-store')
    expect(await head.text()).toBe('')
  })

  it('[BP2] the title cannot break out of its element: escaped, and read back exactly', async () => {
    const html = await (await page(`?token=${board.tokens.participant}`)).text()
    // One script element in the page (the shell has none here), and nothing of the title as markup.
    expect(html.match(/<\/script>/g)).toHaveLength(1)
    expect(html).not.toContain('<script>alert')
    expect(html).not.toContain('<!--')
    expect(html).not.toContain('\u2028')
    const info = await carried(await page(`?token=${board.tokens.participant}`))
    expect(info?.title).toBe(TITLE)
  })

  it('[BP3] without a valid token it is the plain shell, the same for every wrong link: no title, no role', async () => {
    const other = await createBoard(app.url, 'blank', 'Ander bord')
    for (const [query, id] of [
      ['', board.id],
      ['?token=', board.id],
      [`?token=${board.tokens.participant}x`, board.id],
      [`?token=${other.tokens.facilitator}`, board.id],
      [`?token=${board.tokens.facilitator}`, other.id],
      [`?token=${board.tokens.facilitator}`, 'nietbestaand'],
      [`?token=${'a'.repeat(300)}`, board.id],
      [`?token=${board.tokens.facilitator}`, '%E0%A4%A'],
    ] as const) {
      const res = await page(query, id)
      expect(res.status, `${id}${query}`).toBe(200)
      expect(await carried(res), `${id}${query}`).toBeNull()
    }
    // A bearer header is no page token: the page takes the token from its link only.
    const bearer = await page('', board.id, {
      headers: { authorization: `Bearer ${board.tokens.facilitator}` },
    })
    expect(await carried(bearer)).toBeNull()
  })

  it('[BP4] a personal link’s page names the invitee; the shared participant link switched off carries nothing', async () => {
    const auth = { authorization: `Bearer ${board.tokens.facilitator}`, 'content-type': 'application/json' }
    const invited = await fetch(`${app.url}/api/boards/${board.id}/invitations`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ people: [{ name: 'Anna de Vries' }] }),
    })
    const [anna] = ((await invited.json()) as { invitations: { token: string }[] }).invitations
    const info = await carried(await page(`?token=${anna?.token}`))
    expect(info).toEqual(await apiInfo(anna?.token as string))
    expect(info?.invitee).toEqual({ name: 'Anna de Vries' })
    const off = await fetch(`${app.url}/api/boards/${board.id}/shared-link`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ enabled: false }),
    })
    expect(off.status).toBe(200)
    expect(await carried(await page(`?token=${board.tokens.participant}`))).toBeNull()
    // A revoked invitation too.
    expect(await carried(await page(`?token=${anna?.token}x`))).toBeNull()
  })
})

describe('a served board page keeps its room loaded for the WebSocket that follows', () => {
  it('[BP5] the room is loaded before any socket and stays for it; it unloads when the hold ends, the board is deleted, or the server stops', async () => {
    const dir = tempDir('werkbord-page-warm-')
    fs.writeFileSync(path.join(dir, 'index.html'), SHELL)
    const own = await startServer({ clientDir: dir })
    const warm = await createBoard(own.url, 'pact-westfriesland-7.1', 'Warm')
    const open = () => fetch(`${own.url}/b/${warm.id}?token=${warm.tokens.participant}`).then((r) => r.text())
    await own.rooms.idle()
    expect(own.rooms.loadedCount).toBe(0)

    // Without a socket, the page alone keeps the room: the socket finds it loaded (no second load).
    await open()
    expect(own.rooms.loadedCount).toBe(1)
    const client = connectClient(own.url, warm.id, warm.tokens.participant)
    await client.synced
    expect(own.rooms.loadedCount).toBe(1)
    client.destroy()
    await own.rooms.settled()
    expect(own.rooms.loadedCount).toBe(1)
    own.rooms.stopWarming()
    await own.rooms.idle()
    expect(own.rooms.loadedCount).toBe(0)

    // Deleting the board lets go of the page's hold.
    await open()
    const deleted = await fetch(`${own.url}/api/boards/${warm.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${warm.tokens.facilitator}` },
    })
    expect(deleted.status).toBe(200)
    await own.rooms.idle()
    expect(own.rooms.loadedCount).toBe(0)

    // Stopping the server does not wait for the hold: the room unloads (flushed, compacted) at once.
    const other = await createBoard(own.url, 'blank', 'Nog een')
    await fetch(`${own.url}/b/${other.id}?token=${other.tokens.participant}`).then((r) => r.text())
    expect(own.rooms.loadedCount).toBe(1)
    await own.close()
    expect(own.rooms.loadedCount).toBe(0)
  })
})
