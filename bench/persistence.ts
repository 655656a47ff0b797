/**
 * Persistence figures (printed, and written to bench/results/persistence.json):
 * durable appends per second through the batcher, cold load of a 1,000-card board from disk,
 * compaction time, and JSON export of 1,000 cards. Run with `npm run bench`.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import * as Y from 'yjs'
import { initBoard } from '../model/board.js'
import { createCard } from '../model/cards.js'
import { exportBoard } from '../model/export.js'
import { AppendBatcher } from '../server/append-batcher.js'
import { createLogger } from '../server/log.js'
import { projectRoot } from '../server/paths.js'
import { Room } from '../server/room.js'
import { SqliteStore } from '../server/sqlite-store.js'
import { loadTemplates } from '../server/templates.js'
import { benchText } from './lib/text.js'

const template = loadTemplates(path.join(projectRoot, 'templates')).get('pact-westfriesland-7.1')
if (!template) throw new Error('template missing')
const tokenHashes = { facilitator: 'f', participant: 'p', observer: 'o' }
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'werkbord-bench-'))
const store = SqliteStore.open(dir)
const results: Record<string, number> = {}
const log = createLogger('silent')

const text = (n: number, seed: number) => benchText(n, seed, 7)

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
  results.appendsPerSecondOneBoard = await appendsPerSecond(1, 20_000)
  results.appendsPerSecond100Boards = await appendsPerSecond(100, 20_000)

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
  results.boardBytes = Y.encodeStateAsUpdate(doc).byteLength

  const deps = { store, appender: new AppendBatcher(store), log, compactEvery: 1_000_000 }
  let start = performance.now()
  const room = await Room.load('big', deps)
  results.coldLoadFromLogMs = performance.now() - start
  start = performance.now()
  await room.close() // compacts the 1,001-update log into one snapshot
  results.compactionMs = performance.now() - start
  start = performance.now()
  const again = await Room.load('big', deps)
  results.coldLoadFromSnapshotMs = performance.now() - start

  start = performance.now()
  const exported = exportBoard(again.doc, { lane: 'all' })
  results.exportJson1000CardsMs = performance.now() - start
  results.exportJsonBytes = JSON.stringify(exported).length
  await again.close()
  await store.close()
  fs.rmSync(dir, { recursive: true, force: true })

  for (const [name, value] of Object.entries(results))
    console.log(`${name.padEnd(28)} ${Math.round(value * 10) / 10}`)
  const out = path.join(projectRoot, 'bench', 'results')
  fs.mkdirSync(out, { recursive: true })
  fs.writeFileSync(
    path.join(out, 'persistence.json'),
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2)}\n`,
  )
}

await main()
