/**
 * What a compaction does to the relay, of two (or more) versions of our server, interleaved: each
 * session is a fresh process running one version's Rooms, append batcher and durable SQLite store (a
 * real file in a temporary folder, WAL, synchronous=FULL, as in production) with N connections that only
 * count what they are sent. Writers type into their cards at a steady rate (open loop, as scenario B of
 * bench/fanout.ts: 5 writers × 10/s), and the log is compacted every BENCH_COMPACT_EVERY updates. For
 * each update: from when it was due to be sent (a stalled event loop delays the sending as well) to
 * the room relaying it (no sockets: what the room and the store add). For each compaction: how long `store.compact` held the event loop (its synchronous part)
 * and how long until it was durable. And the event-loop delay (monitorEventLoopDelay, 1 ms resolution).
 * The updates sent while a compaction ran are summarised apart from the others. Printed only.
 *
 *   BENCH_AB_DIRS=/path/to/old,/path/to/new npx tsx bench/fanout-compaction-ab.ts
 *
 * Settings: BENCH_RELAY_N (200 connections), BENCH_COMPACT_EVERY (100), BENCH_COMPACTION_SECONDS (10),
 * BENCH_AB_ROUNDS (4 sessions per version).
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type * as Yjs from 'yjs'
import { checkoutLabel, type FakeConnection, loadFromCheckout } from './lib/checkout.js'
import { round, summarize } from './lib/proc.js'

const DIRS = (process.env.BENCH_AB_DIRS ?? '').split(',').filter(Boolean)
const N = Number(process.env.BENCH_RELAY_N ?? 200)
const COMPACT_EVERY = Number(process.env.BENCH_COMPACT_EVERY ?? 100)
const SECONDS = Number(process.env.BENCH_COMPACTION_SECONDS ?? 10)
const ROUNDS = Number(process.env.BENCH_AB_ROUNDS ?? 4)
const WRITERS = 5
const RATE = 10

/** What one session reports (a JSON line on stdout). */
interface Session {
  dir: string
  /** Handed to the room → relayed, ms: every update; those sent while a compaction ran; the others. */
  all: number[]
  during: number[]
  outside: number[]
  /** Per compaction: the event loop held by `store.compact` itself, and until it was durable (ms). */
  compactSyncMs: number[]
  compactTotalMs: number[]
  loopDelay: { p99: number; max: number }
}

interface LoadedRoom {
  doc: Yjs.Doc
  join(c: FakeConnection): void
  receive(c: FakeConnection, data: Uint8Array): void
}

/** One session in this process: `dir`'s server code, a fresh data folder. */
async function child(dir: string): Promise<Session> {
  // The checkout's own Yjs (one copy per process: the server code imports it from its node_modules).
  const Y = (await import(pathToFileURL(path.join(dir, 'node_modules/yjs/dist/yjs.mjs')).href)) as typeof Yjs
  const { SqliteStore } = await loadFromCheckout<{
    SqliteStore: new (file: string) => Record<string, unknown>
  }>(dir, 'server/storage/sqlite-store.ts')
  const { Rooms } = await loadFromCheckout<{
    Rooms: new (deps: object) => { acquire(id: string): Promise<unknown> }
  }>(dir, 'server/realtime/rooms.ts')
  const { AppendBatcher } = await loadFromCheckout<{ AppendBatcher: new (store: unknown) => unknown }>(
    dir,
    'server/realtime/append-batcher.ts',
  )
  const { createLogger } = await loadFromCheckout<{ createLogger(level: string): unknown }>(
    dir,
    'server/log.ts',
  )
  const { loadTemplates } = await loadFromCheckout<{ loadTemplates(dir: string): Map<string, unknown> }>(
    dir,
    'server/templates/templates.ts',
  )
  const { initBoard } = await loadFromCheckout<{
    initBoard(doc: Yjs.Doc, template: unknown, init: object): void
  }>(dir, 'model/board.ts')
  const { syncMessage } = await loadFromCheckout<{
    syncMessage(type: number, payload: Uint8Array): Uint8Array
  }>(dir, 'server/realtime/protocol.ts')
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'werkbord-compaction-ab-'))
  try {
    const template = loadTemplates(path.join(dir, 'templates')).get('pact-westfriesland-7.1')
    const board = new Y.Doc()
    initBoard(board, template, { id: 'bench', title: 'Benchmark', now: Date.now() })
    const store = new SqliteStore(path.join(dataDir, 'werkbord.sqlite')) as {
      createBoard(record: object, update: Uint8Array): Promise<void>
      compact(id: string, snapshot: Uint8Array, upTo: number): Promise<void>
      close(): Promise<void>
    }
    await store.createBoard(
      {
        id: 'bench',
        createdAt: Date.now(),
        tokenHashes: { facilitator: 'f', participant: 'p', observer: 'o' },
      },
      Y.encodeStateAsUpdate(board),
    )
    // Times each compaction: its synchronous part (the event loop is held) and until it resolved.
    const compactSyncMs: number[] = []
    const compactTotalMs: number[] = []
    const compacting: { from: number; to: number }[] = []
    const compact = store.compact.bind(store)
    store.compact = (id, snapshot, upTo) => {
      const from = performance.now()
      const done = compact(id, snapshot, upTo)
      compactSyncMs.push(performance.now() - from)
      const window = { from, to: Number.POSITIVE_INFINITY }
      compacting.push(window)
      return done.finally(() => {
        window.to = performance.now()
        compactTotalMs.push(window.to - from)
      })
    }
    const rooms = new Rooms({
      store,
      appender: new AppendBatcher(store),
      log: createLogger('error'),
      compactEvery: COMPACT_EVERY,
    })
    const room = (await rooms.acquire('bench')) as LoadedRoom
    // Every relayed update carries its writer and number: the counting connection notes when it came.
    const sentAt = new Map<string, number>()
    const latencies = new Map<string, number>()
    const connections: FakeConnection[] = Array.from({ length: N }, (_, i) => ({
      id: `c${i}`,
      role: 'participant',
      send:
        i === N - 1
          ? (message: Uint8Array) => {
              // The inserted text travels as it was typed: read the keys straight out of the bytes.
              const at = performance.now()
              for (const match of Buffer.from(message).toString('latin1').matchAll(KEY)) {
                const key = match[1] as string
                const sent = sentAt.get(key)
                if (sent !== undefined && !latencies.has(key)) latencies.set(key, at - sent)
              }
            }
          : () => {},
      close() {},
    }))
    for (const c of connections) room.join(c)
    const writers = Array.from({ length: WRITERS }, (_, w) => {
      const doc = new Y.Doc()
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(room.doc))
      const cards = doc.getMap('cards')
      const ids = [...cards.keys()].filter(
        (id) => (cards.get(id) as Yjs.Map<unknown>).get('actie') instanceof Y.Text,
      )
      const card = cards.get(ids[w] as string) as Yjs.Map<unknown>
      let update: Uint8Array | null = null
      doc.on('update', (u: Uint8Array) => {
        update = u
      })
      return { connection: connections[w] as FakeConnection, doc, card, take: () => update as Uint8Array }
    })
    const delay = monitorEventLoopDelay({ resolution: 1 })
    delay.enable()
    const start = performance.now() + 200
    const total = RATE * SECONDS
    await Promise.all(
      writers.map(async (writer, w) => {
        for (let n = 0; n < total; n++) {
          const due = start + (n * 1000) / RATE + (w * 1000) / RATE / WRITERS
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())))
          const key = `w${w}s${n}`
          writer.doc.transact(() => {
            ;(writer.card.get('actie') as Yjs.Text).insert(0, `[${key}]`)
            writer.card.set('updatedAt', Date.now())
          })
          // From when it was due, not when the timer fired: a stalled event loop delays the send too,
          // and that wait is part of what a client would see (no coordinated omission).
          sentAt.set(key, due)
          room.receive(writer.connection, syncMessage(2, writer.take()))
        }
      }),
    )
    const end = performance.now() + 10_000
    while (latencies.size < sentAt.size && performance.now() < end) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    delay.disable()
    const during: number[] = []
    const outside: number[] = []
    for (const [key, ms] of latencies) {
      const at = sentAt.get(key) as number
      const inWindow = compacting.some(({ from, to }) => at >= from && at <= to)
      ;(inWindow ? during : outside).push(ms)
    }
    await store.close()
    return {
      dir,
      all: [...latencies.values()],
      during,
      outside,
      compactSyncMs,
      compactTotalMs,
      loopDelay: { p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 },
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

const KEY = /\[(w\d+s\d+)\]/g

function runChild(dir: string): Promise<Session> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', dir],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    )
    let out = ''
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    proc.once('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? ''
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as Session)
      else reject(new Error(`session of ${dir} exited ${code}: ${out.slice(-2000)}`))
    })
  })
}

function describe(values: number[]): string {
  if (values.length === 0) return '–'
  const s = summarize(values)
  return `p50 ${round(s.p50)} p99 ${round(s.p99)} max ${round(s.max)} (${values.length})`
}

function line(name: string, s: Session): string {
  return (
    `${name.padEnd(9)} relay ${describe(s.all)}; sent during a compaction ${describe(s.during)}; ` +
    `outside ${describe(s.outside)}; compact() held the loop ${s.compactSyncMs.map((ms) => round(ms)).join(', ')} ms, ` +
    `durable after ${s.compactTotalMs.map((ms) => round(ms)).join(', ')} ms; loop delay p99 ${round(s.loopDelay.p99)} max ${round(s.loopDelay.max)} ms`
  )
}

async function main() {
  if (process.argv[2] === '--child') {
    console.log(JSON.stringify(await child(process.argv[3] as string)))
    process.exit(0) // the room is left loaded (its presence timer would keep the process)
  }
  if (DIRS.length < 2) throw new Error('BENCH_AB_DIRS=<checkout>,<checkout>')
  const labels = DIRS.map((dir) => checkoutLabel(dir))
  console.log(
    `compaction A/B: ${labels.join(' vs ')}; ${N} connections, ${WRITERS} writers × ${RATE}/s for ${SECONDS} s, ` +
      `compaction every ${COMPACT_EVERY} updates, ${ROUNDS} rounds, interleaved; load ${os.loadavg()[0]?.toFixed(2)}`,
  )
  const sessions: Session[] = []
  for (let r = 0; r < ROUNDS; r++) {
    for (const dir of r % 2 === 0 ? DIRS : [...DIRS].reverse()) {
      const session = await runChild(dir)
      sessions.push(session)
      console.log(line(labels[DIRS.indexOf(dir)] as string, session))
    }
  }
  console.log(`\nall sessions together (load ${os.loadavg()[0]?.toFixed(2)}):`)
  for (const [i, dir] of DIRS.entries()) {
    const mine = sessions.filter((s) => s.dir === dir)
    const delays = mine.map((s) => s.loopDelay)
    console.log(
      line(labels[i] as string, {
        dir,
        all: mine.flatMap((s) => s.all),
        during: mine.flatMap((s) => s.during),
        outside: mine.flatMap((s) => s.outside),
        compactSyncMs: [summarize(mine.flatMap((s) => s.compactSyncMs)).p50],
        compactTotalMs: [summarize(mine.flatMap((s) => s.compactTotalMs)).p50],
        loopDelay: {
          p99: summarize(delays.map((d) => d.p99)).p50,
          max: summarize(delays.map((d) => d.max)).p50,
        },
      }).replace('held the loop', 'held the loop (median)'),
    )
  }
}

await main()
