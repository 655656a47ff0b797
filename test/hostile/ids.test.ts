import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { type BoardInfo, createBoard, startServer } from '../helpers/server.js'
import { upgradeHeaders } from '../helpers/upgrade.js'
import { assertHealthy, type Honest, heapMiB, honestPair } from './helpers.js'

/**
 * Board ids and tokens as weapons. Every attempt is refused — 4401 after the upgrade, or a bare HTTP
 * error before it — within 1 s, without loading any room; heap growth < 16 MiB.
 */
const REFUSE_MS = 1000
const HEAP_MIB = 16

let app: Awaited<ReturnType<typeof startServer>>
let board: BoardInfo
let other: BoardInfo
let honest: Honest
let port: number
let heapBefore: number

beforeAll(async () => {
  app = await startServer()
  port = Number(new URL(app.url).port)
  board = await createBoard(app.url, 'blank')
  other = await createBoard(app.url, 'blank')
  honest = await honestPair(app, board)
  heapBefore = heapMiB()
})
afterAll(async () => {
  honest.destroy()
  await app.close()
})

/**
 * Opens a WebSocket to `path` (already encoded) and resolves with its close code, or with `http <status>`
 * when the server refused the upgrade itself.
 */
async function closeCode(path: string, headers: Record<string, string> = {}): Promise<number | string> {
  const started = performance.now()
  const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers })
  ws.on('error', () => {})
  const outcome = await new Promise<number | string>((resolve) => {
    ws.once('close', (code: number) => resolve(code))
    ws.once('unexpected-response', (request, response) => {
      request.destroy() // with a listener for this event, aborting is up to us
      resolve(`http ${response.statusCode}`)
    })
  })
  expect(performance.now() - started).toBeLessThan(REFUSE_MS)
  return outcome
}

/**
 * Sends raw bytes as an upgrade request and resolves with the server's status line — or, when it did
 * upgrade, with `101 <close code>` once the server closes the WebSocket.
 */
function rawUpgrade(requestLine: Buffer | string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(Buffer.concat([Buffer.from(requestLine), Buffer.from(upgradeHeaders(port))]))
    })
    let answer = Buffer.alloc(0)
    socket.on('error', () => {})
    socket.on('close', () => resolve(answer.toString('latin1').split('\r\n')[0] ?? ''))
    socket.on('data', (data) => {
      answer = Buffer.concat([answer, data])
      const text = answer.toString('latin1')
      const end = text.indexOf('\r\n\r\n')
      if (!text.startsWith('HTTP/1.1 101') || end < 0) return
      const frame = answer.subarray(end + 4)
      if (frame.length >= 4 && frame[0] === 0x88) {
        resolve(`101 ${frame.readUInt16BE(2)}`) // the server's close frame and its code
        socket.destroy()
      }
    })
  })
}

describe('board id and token abuse', () => {
  it('[H20] path traversal, over-long, NUL, CRLF, unicode and odd ids are refused with 4401 or 4xx', async () => {
    const token = board.tokens.participant
    const ids = [
      '..%2F..%2Fetc%2Fpasswd',
      '..%5C..%5Cwindows',
      `${board.id}%00`,
      `${board.id}%0D%0ASet-Cookie:%20x=1`,
      'b%C3%B6rd',
      '%F0%9F%98%80',
      '%C3%28', // invalid UTF-8
      '%E0%80%AF', // over-long encoding of "/"
      '%',
      'constructor',
      '__proto__',
      'x'.repeat(65),
      encodeURIComponent(board.id.toUpperCase()),
      `${board.id}%20`,
    ]
    for (const id of ids) expect(await closeCode(`/sync/${id}?token=${token}`), id).toBe(4401)
    // URL parsing turns "%2e%2e" into "..", which leaves /sync: no upgrade at all.
    expect(await closeCode(`/sync/%2e%2e?token=${token}`)).toBe('http 404')
    expect(await rawUpgrade(`GET /sync/${'x'.repeat(100_000)}?token=${token} HTTP/1.1`)).toMatch(
      /^HTTP\/1\.1 431/,
    )
    expect(await rawUpgrade(`GET /sync/../api/boards?token=${token} HTTP/1.1`)).toMatch(/^HTTP\/1\.1 404/)
    expect(await rawUpgrade(`GET /sync/${board.id}/extra?token=${token} HTTP/1.1`)).toMatch(/^HTTP\/1\.1 404/)
    expect(await rawUpgrade(`GET /sync/?token=${token} HTTP/1.1`)).toMatch(/^HTTP\/1\.1 404/)
    const nul = Buffer.concat([
      Buffer.from(`GET /sync/${board.id}`),
      Buffer.from([0]),
      Buffer.from(' HTTP/1.1'),
    ])
    expect(await rawUpgrade(nul)).toMatch(/^HTTP\/1\.1 400/)
    // Node's parser takes a request line cut by CRLF as a request without version (the token ends up
    // in a header), and passes raw UTF-8: both are upgraded, then refused like any unknown board.
    const refused = /^(HTTP\/1\.1 4\d\d |101 4401$)/
    expect(await rawUpgrade(`GET /sync/${board.id}\r\nX: y?token=${token} HTTP/1.1`)).toMatch(refused)
    expect(await rawUpgrade(Buffer.from(`GET /sync/börd?token=${token} HTTP/1.1`, 'utf8'))).toMatch(refused)
    expect(await rawUpgrade(`GET /sync/..%2F${board.id}?token=${token} HTTP/1.1`)).toMatch(refused)
    expect(app.rooms.loadedCount).toBe(1) // only the honest board
    await assertHealthy(app, board, honest, 'na rare ids')
  })

  it('[H21] wrong, foreign, over-long, odd, doubled and replaced tokens are refused with 4401', async () => {
    const path = `/sync/${board.id}`
    const cases: [string, Record<string, string>?][] = [
      [`${path}?token=${other.tokens.facilitator}`], // a real token of another board
      [`${path}?token=${board.tokens.participant.slice(0, -1)}`],
      [`${path}?token=${board.tokens.participant}x`],
      [`${path}?token=${'a'.repeat(257)}`],
      [`${path}?token=${'a'.repeat(10_000)}`],
      [`${path}?token=${board.tokens.participant}%00`],
      [`${path}?token=%F0%9F%98%80`],
      [`${path}?token=`],
      [path],
      [`${path}?token=wrong&token=${board.tokens.participant}`], // the first one counts
      [`${path}?token=${board.tokens.participant}`, { authorization: 'Bearer wrong' }], // the header wins
      [path, { authorization: `Basic ${board.tokens.participant}` }],
      [path, { authorization: `Bearer ${board.tokens.participant} extra` }],
      [`${path}?token=${board.tokens.participant.toLowerCase()}`],
    ]
    for (const [url, headers] of cases) expect(await closeCode(url, headers), url.slice(0, 80)).toBe(4401)
    expect(app.rooms.loadedCount).toBe(1)

    // A replaced (rotated) token: refused from then on, and its open connections are closed, with 4401.
    const leaked = new WebSocket(`ws://127.0.0.1:${port}/sync/${other.id}?token=${other.tokens.observer}`)
    leaked.on('error', () => {})
    await new Promise((resolve) => leaked.once('message', resolve))
    const leakedClosed = new Promise<number>((resolve) => leaked.once('close', resolve))
    const res = await fetch(`${app.url}/api/boards/${other.id}/tokens/observer`, {
      method: 'POST',
      headers: { authorization: `Bearer ${other.tokens.facilitator}` },
    })
    expect(res.status).toBe(200)
    expect(await leakedClosed).toBe(4401)
    expect(await closeCode(`/sync/${other.id}?token=${other.tokens.observer}`)).toBe(4401)
    await assertHealthy(app, board, honest, 'na verkeerde tokens')
    expect(heapMiB() - heapBefore).toBeLessThan(HEAP_MIB)
  })
})
