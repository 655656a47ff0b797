import net from 'node:net'
import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import { afterEach, describe, expect, it } from 'vitest'
import { createCard, setText } from '../../model/cards.js'
import { listCards } from '../../model/read.js'
import { connectClient, nextCloseCode } from '../helpers/clients.js'
import { createBoard, startServer } from '../helpers/server.js'
import { upgradeHeaders } from '../helpers/upgrade.js'
import { once, untilDoc } from '../helpers/wait.js'
import { assertHealthy, honestPair, replayStored } from './helpers.js'

/**
 * Limits that keep one person from wearing the server down: per address (connections), per board
 * (cards, size), imports that unpack to too much, and exports that must not hold up the event loop.
 */
let app: Awaited<ReturnType<typeof startServer>>
afterEach(async () => {
  await app?.close()
})

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const auth = (token: string) => ({ authorization: `Bearer ${token}` })

/** Sends a WebSocket upgrade by hand and resolves with the status line of the answer. */
async function upgradeStatus(
  path: string,
  extraHeaders: string[] = [],
): Promise<{ status: string; socket: net.Socket }> {
  const port = Number(new URL(app.url).port)
  const socket = net.connect(port, '127.0.0.1')
  socket.on('error', () => {})
  await once(socket as never, 'connect')
  const headers = upgradeHeaders(port).replace(
    /\r\n\r\n$/,
    `\r\n${extraHeaders.map((h) => `${h}\r\n`).join('')}\r\n`,
  )
  const answered = once<[Buffer]>(socket as never, 'data')
  socket.write(`GET ${path} HTTP/1.1${headers}`)
  const [data] = await answered
  return { status: data.toString('latin1').split('\r\n')[0] ?? '', socket }
}

describe('per address', () => {
  it('[SL3] one address holds at most SOCKETS_PER_IP sockets; the next upgrade gets 429, others go on', async () => {
    app = await startServer({ maxConnectionsPerIp: 4 })
    const board = await createBoard(app.url, 'blank')
    const honest = await honestPair(app, board) // two of the four
    const path = `/sync/${board.id}?token=${board.tokens.participant}`
    const third = await upgradeStatus(path)
    const fourth = await upgradeStatus(path)
    expect([third.status, fourth.status]).toEqual([
      'HTTP/1.1 101 Switching Protocols',
      'HTTP/1.1 101 Switching Protocols',
    ])
    const fifth = await upgradeStatus(path)
    expect(fifth.status).toBe('HTTP/1.1 429 Too Many Requests')
    // A socket that leaves makes room again.
    const closed = once(third.socket as never, 'close')
    third.socket.destroy()
    await closed
    await expect.poll(async () => (await upgradeStatus(path)).status).toBe('HTTP/1.1 101 Switching Protocols')
    createCard(honest.a.doc, { fields: { actie: 'gaat door' } })
    await untilDoc(honest.b.doc, () => listCards(honest.b.doc).length === 1)
    for (const raw of [fourth, fifth]) raw.socket.destroy()
    honest.destroy()
  })
})

describe('WebSocket origin', () => {
  it('[SF2] a browser page of another origin cannot open a socket; the board’s own origin and non-browsers can', async () => {
    app = await startServer()
    const board = await createBoard(app.url, 'blank')
    const path = `/sync/${board.id}?token=${board.tokens.participant}`
    const port = new URL(app.url).port
    const foreign = await upgradeStatus(path, ['Origin: https://aanvaller.example'])
    expect(foreign.status).toBe('HTTP/1.1 403 Forbidden')
    const own = await upgradeStatus(path, [`Origin: http://127.0.0.1:${port}`])
    expect(own.status).toBe('HTTP/1.1 101 Switching Protocols')
    const none = await upgradeStatus(path)
    expect(none.status).toBe('HTTP/1.1 101 Switching Protocols')
    for (const raw of [foreign, own, none]) raw.socket.destroy()
    await app.close()

    app = await startServer({ allowedOrigins: ['https://werkbord.example.nl'] })
    const second = await createBoard(app.url, 'blank')
    const listed = `/sync/${second.id}?token=${second.tokens.participant}`
    const allowed = await upgradeStatus(listed, ['Origin: https://werkbord.example.nl'])
    expect(allowed.status).toBe('HTTP/1.1 101 Switching Protocols')
    const ownHost = await upgradeStatus(listed, [`Origin: http://127.0.0.1:${new URL(app.url).port}`])
    expect(ownHost.status).toBe('HTTP/1.1 403 Forbidden')
    for (const raw of [allowed, ownHost]) raw.socket.destroy()
  })
})

describe('per board', () => {
  it('[SL4] a board holds at most MAX_BOARD_CARDS cards: the card beyond is refused (4413), the board goes on', async () => {
    app = await startServer({ maxBoardCards: 3 })
    const board = await createBoard(app.url, 'blank')
    const honest = await honestPair(app, board)
    const writer = connectClient(app.url, board.id, board.tokens.participant)
    await writer.synced
    for (let i = 1; i <= 3; i++) createCard(writer.doc, { fields: { actie: `kaart ${i}` } })
    await untilDoc(honest.b.doc, () => listCards(honest.b.doc).length === 3)
    const closed = nextCloseCode(writer.provider)
    createCard(writer.doc, { fields: { actie: 'een te veel' } })
    expect(await closed).toBe(4413)
    writer.destroy()
    // The facilitator is held to it too; editing existing cards goes on.
    const facilitator = connectClient(app.url, board.id, board.tokens.facilitator)
    await facilitator.synced
    const refused = nextCloseCode(facilitator.provider)
    createCard(facilitator.doc, { fields: { actie: 'ook te veel' } })
    expect(await refused).toBe(4413)
    facilitator.destroy()
    const [first] = listCards(honest.a.doc)
    setText(honest.a.doc, first?.id as string, 'actie', 'bijgewerkt')
    await untilDoc(honest.b.doc, () => listCards(honest.b.doc)[0]?.fields.actie === 'bijgewerkt')
    expect(listCards(await replayStored(app, board.id)).map((card) => card.fields.actie)).toEqual([
      'bijgewerkt',
      'kaart 2',
      'kaart 3',
    ])
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200)
    honest.destroy()
  })

  it('[SL4] a board takes at most MAX_BOARD_BYTES: a participant cannot grow it without bound', async () => {
    app = await startServer({ maxBoardBytes: 256 * 1024 })
    const board = await createBoard(app.url, 'blank')
    const honest = await honestPair(app, board)
    const writer = connectClient(app.url, board.id, board.tokens.participant)
    await writer.synced
    const id = createCard(writer.doc, { fields: { actie: 'groeit' } })
    await untilDoc(honest.b.doc, () => listCards(honest.b.doc).length === 1)
    const closed = nextCloseCode(writer.provider)
    let text = ''
    // 16 KiB more at a time, as a script would: refused once the board's storage would pass 256 KiB.
    const grow = () => {
      if (writer.provider.wsconnected && text.length < 1024 * 1024) {
        text += 'x'.repeat(16 * 1024)
        setText(writer.doc, id, 'doel', text)
        setImmediate(grow)
      }
    }
    grow()
    expect(await closed).toBe(4413)
    writer.destroy()
    const stored = await replayStored(app, board.id)
    const size = Buffer.byteLength(JSON.stringify(listCards(stored)))
    expect(size).toBeLessThan(256 * 1024)
    // On a full board, deleting still works (it frees room at the next compaction).
    const kept = listCards(stored)[0]?.fields.doel as string
    expect(kept.length).toBeGreaterThan(0)
    // The honest client clears what the board holds: it must have all of it first (the relay of the
    // last accepted growth may still be on its way; clearing less would leave the rest standing).
    await untilDoc(honest.a.doc, () => listCards(honest.a.doc)[0]?.fields.doel === kept)
    setText(honest.a.doc, id, 'doel', '')
    await untilDoc(honest.b.doc, () => listCards(honest.b.doc)[0]?.fields.doel === '')
    expect(honest.a.provider.wsconnected).toBe(true)
    await assertHealthy(app, board, honest, 'na het groottelimiet')
    honest.destroy()
  })

  it('[SL6] an import that would take a board past MAX_BOARD_CARDS is refused whole (413)', async () => {
    app = await startServer({ maxBoardCards: 10 })
    const board = await createBoard(app.url, 'blank')
    const cards = Array.from({ length: 11 }, (_, i) => ({ fields: { actie: `actie ${i}` } }))
    const res = await fetch(`${app.url}/api/boards/${board.id}/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth(board.tokens.facilitator) },
      body: JSON.stringify(cards),
    })
    expect(res.status).toBe(413)
    expect(((await res.json()) as { error: string }).error).toContain('at most 10')
    expect(listCards(await replayStored(app, board.id))).toHaveLength(0)
  })
})

/** A real workbook with one more file in it: `extra` bytes of zeros, packed to a few hundred KB. */
async function bomb(extra: number): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  workbook.addWorksheet('Blad1').addRow(['Actie']).commit()
  workbook.worksheets[0]?.addRow(['Een actie'])
  const zip = await JSZip.loadAsync(await workbook.xlsx.writeBuffer())
  zip.file('xl/media/nullen.bin', Buffer.alloc(extra), { compression: 'DEFLATE' })
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' })
}

/** The same zip, with the sizes of its largest entry declared as `declared` in both headers. */
function lyingAbout(zip: Buffer, name: string, declared: number): Buffer {
  const copy = Buffer.from(zip)
  const nameBytes = Buffer.from(name)
  for (let i = 0; i < copy.length - 46; i++) {
    const signature = copy.readUInt32LE(i)
    if (signature === 0x02014b50 && copy.subarray(i + 46, i + 46 + nameBytes.length).equals(nameBytes)) {
      copy.writeUInt32LE(declared, i + 24)
    }
    if (signature === 0x04034b50 && copy.subarray(i + 30, i + 30 + nameBytes.length).equals(nameBytes)) {
      copy.writeUInt32LE(declared, i + 22)
    }
  }
  return copy
}

describe('imports and exports', () => {
  it('[SL7] an XLSX that unpacks to more than MAX_UNPACKED_BYTES is refused (413) before parsing', async () => {
    app = await startServer({ maxImportUnpackedBytes: 2 * 1024 * 1024 })
    const board = await createBoard(app.url, 'blank')
    const send = (body: Buffer) =>
      fetch(`${app.url}/api/boards/${board.id}/import?dryRun=1`, {
        method: 'POST',
        headers: { 'content-type': XLSX, ...auth(board.tokens.facilitator) },
        body: new Uint8Array(body),
      })
    const packed = await bomb(24 * 1024 * 1024)
    expect(packed.length).toBeLessThan(128 * 1024)
    const declared = await send(packed)
    expect(declared.status).toBe(413)
    expect(((await declared.json()) as { error: string }).error).toContain('unpacks to more than')
    // Declaring small sizes does not help: inflating stops at the declared size.
    const lying = await send(lyingAbout(packed, 'xl/media/nullen.bin', 1000))
    expect(lying.status).toBe(413)
    // An honest small workbook still imports.
    const fine = await send(await bomb(1024))
    expect(fine.status).toBe(200)
    expect(((await fine.json()) as { cards: unknown[] }).cards).toHaveLength(1)
  })

  it('[SL5] exports run off the event loop: /healthz and an edit’s relay go on while a DOCX export renders', {
    timeout: 60_000,
  }, async () => {
    app = await startServer({ exchangeWorkers: 1 })
    const board = await createBoard(app.url, 'blank')
    const cards = Array.from({ length: 1500 }, (_, i) => ({
      fields: { actie: `Actie ${i}`, doel: `Doel van actie ${i} `.repeat(8) },
    }))
    const imported = await fetch(`${app.url}/api/boards/${board.id}/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth(board.tokens.facilitator) },
      body: JSON.stringify(cards),
    })
    expect(imported.status).toBe(200)
    const honest = await honestPair(app, board)
    let exportDone = false
    const exporting = fetch(`${app.url}/api/boards/${board.id}/export?format=docx&lane=all`, {
      headers: auth(board.tokens.observer),
    }).then(async (res) => {
      const body = Buffer.from(await res.arrayBuffer())
      exportDone = true
      return { status: res.status, body }
    })
    // The export is in its worker: the event loop answers and relays meanwhile.
    await expect.poll(() => app.exchange.busy, { interval: 5 }).toBe(1)
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200)
    const [first] = listCards(honest.a.doc)
    setText(honest.a.doc, first?.id as string, 'actie', 'tijdens de export')
    await untilDoc(honest.b.doc, () => listCards(honest.b.doc)[0]?.fields.actie === 'tijdens de export')
    expect(exportDone).toBe(false)
    expect(app.exchange.busy).toBe(1)
    const done = await exporting
    expect(done.status).toBe(200)
    const xml = (await (await JSZip.loadAsync(done.body)).file('word/document.xml')?.async('string')) ?? ''
    expect(xml).toContain('Actie 1499')
    honest.destroy()
  })

  it('[SL5] an export that runs longer than EXCHANGE_TIMEOUT_MS is stopped with 503; the server goes on', async () => {
    app = await startServer({ exchangeWorkers: 1, exchangeTimeoutMs: 1 })
    const board = await createBoard(app.url, 'blank')
    const res = await fetch(`${app.url}/api/boards/${board.id}/export?format=docx`, {
      headers: auth(board.tokens.observer),
    })
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('5')
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200)
  })
})
