/**
 * Persistence figures (printed, and written to bench/results/persistence.json):
 * durable appends per second through the batcher, cold load of a 1,000-card board from disk,
 * compaction time (1,000 cards; 100,000 updates), and exports of 1,000 cards in every format.
 * Run with `npm run bench`.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import * as Y from 'yjs'
import { initBoard } from '../model/board.js'
import { createCard, fieldText } from '../model/cards.js'
import { exportBoard } from '../model/export.js'
import { EXPORT_FORMATS, renderExport } from '../server/export/render.js'
import { createLogger } from '../server/log.js'
import { projectRoot } from '../server/paths.js'
import { AppendBatcher } from '../server/realtime/append-batcher.js'
import { Room } from '../server/realtime/room.js'
import { SqliteStore } from '../server/storage/sqlite-store.js'
import { loadTemplates } from '../server/templates/templates.js'
import { benchText } from './lib/text.js'

const template = loadTemplates(path.join(projectRoot, 'templates')).get('pact-westfriesland-7.1')
if (!template) throw new Error('template missing')
const tokenHashes = { facilitator: 'f', participant: 'p', observer: 'o' }
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'werkbord-bench-'))
const store = SqliteStore.open(dir)
const results: Record<string, number> = {}
const log = createLogger('silent')

const text = (n: number, seed: number) => benchText(n, seed, 7)
const TYPED = Number(process.env.TYPED ?? 100_000)

/** Keeps a figure and prints it at once, so a long run shows where it is. */
function record(name: string, value: number): void {
  results[name] = value
  console.log(`${name.padEnd(34)} ${Math.round(value * 10) / 10}`)
}

async function appendsPerSecond(boards: number, total: number): Promise<number> {
  const ids = Array.from({ length: boards }, (_, i) => `append-${boards}-${i}`)
  for (const id of ids) await store.createBoard({ id, createdAt: 0, tokenHashes }, new Uint8Array([0, 0]))
  const batcher = new AppendBatcher(store)
  const update = new Uint8Array(60).fill(7)
  const start = performance.now()
  const pending: Promise<number>[] = []
  // Clients send in bursts: 50 updates arrive per event-loop turn.
  for (let i = 0; i < total; i++) {
    pending.push(batcher.append(ids[i % boards] as string, update))
    if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve))
  }
  await Promise.all(pending)
  return total / ((performance.now() - start) / 1000)
}

async function main() {
  record('appendsPerSecondOneBoard', await appendsPerSecond(1, 20_000))
  record('appendsPerSecond100Boards', await appendsPerSecond(100, 20_000))

  // A 1,000-card board: six fields of 50–200 characters, written as 1,000 separate updates.
  const doc = new Y.Doc()
  initBoard(doc, template as NonNullable<typeof template>, { id: 'big', title: 'Groot bord' })
  await store.createBoard({ id: 'big', createdAt: 0, tokenHashes }, Y.encodeStateAsUpdate(doc))
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  for (let i = 0; i < 1000; i++) {
    createCard(doc, {
      fields: {
        actie: text(50 + (i % 150), i),
        doel: text(100 + (i % 100), i + 1),
        planning: { kort: text(50 + (i % 50), i + 2), lang: text(60, i + 3) },
        partijen: [text(20, i + 4), text(30, i + 5)],
        thema: ['wonen'],
        schaalniveau: 'regionaal',
      },
    })
  }
  await store.append(updates.map((update) => ({ boardId: 'big', update })))
  record('boardBytes', Y.encodeStateAsUpdate(doc).byteLength)

  const deps = { store, appender: new AppendBatcher(store), log, compactEvery: 1_000_000 }
  let start = performance.now()
  const room = await Room.load('big', deps)
  record('coldLoadFromLogMs', performance.now() - start)
  start = performance.now()
  await room.close() // compacts the 1,001-update log into one snapshot
  record('compactionMs', performance.now() - start)
  start = performance.now()
  const again = await Room.load('big', deps)
  record('coldLoadFromSnapshotMs', performance.now() - start)

  start = performance.now()
  const exported = exportBoard(again.doc, { lane: 'all' })
  record('exportJson1000CardsMs', performance.now() - start)
  record('exportJsonBytes', JSON.stringify(exported).length)
  // Every format as the API renders it (the export document, then the file): the first call after start
  // (which loads exceljs or docx) and the median of five more.
  for (const format of EXPORT_FORMATS) {
    const times: number[] = []
    let bytes = 0
    for (let i = 0; i < 6; i++) {
      const began = performance.now()
      bytes = (await renderExport(exportBoard(again.doc, { lane: 'all' }), format)).body.byteLength
      times.push(performance.now() - began)
    }
    const [first, ...warm] = times as [number, ...number[]]
    record(`export_${format}_1000Cards_firstMs`, first)
    record(`export_${format}_1000Cards_warmMs`, warm.sort((a, b) => a - b)[2] as number)
    record(`export_${format}_1000Cards_bytes`, bytes)
  }
  await again.close()

  // 100,000 updates on one board (typing, one character each): cold load from that log, and compaction.
  const typed = new Y.Doc()
  initBoard(typed, template as NonNullable<typeof template>, { id: 'typed', title: 'Veel getypt' })
  await store.createBoard({ id: 'typed', createdAt: 0, tokenHashes }, Y.encodeStateAsUpdate(typed))
  const keystrokes: Uint8Array[] = []
  typed.on('update', (u: Uint8Array) => keystrokes.push(u))
  const cardId = createCard(typed, { fields: { actie: '' } })
  const actie = fieldText(typed, cardId, 'actie')
  const typing = text(TYPED, 99)
  for (let i = 0; i < TYPED; i++) actie.insert(i, typing[i] as string)
  for (let i = 0; i < keystrokes.length; i += 5000)
    await store.append(keystrokes.slice(i, i + 5000).map((update) => ({ boardId: 'typed', update })))
  record('typedUpdates', keystrokes.length)
  start = performance.now()
  const typedRoom = await Room.load('typed', deps)
  record('coldLoad100kUpdatesMs', performance.now() - start)
  start = performance.now()
  await typedRoom.close()
  record('compaction100kUpdatesMs', performance.now() - start)
  await store.close()
  fs.rmSync(dir, { recursive: true, force: true })

  const out = path.join(projectRoot, 'bench', 'results')
  fs.mkdirSync(out, { recursive: true })
  fs.writeFileSync(
    path.join(out, 'persistence.json'),
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2)}\n`,
  )
}

await main()
