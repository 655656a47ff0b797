import path from 'node:path'
import { PerformanceObserver } from 'node:perf_hooks'
import * as Y from 'yjs'
import { checkoutLabel, type FakeConnection, loadFromCheckout } from './lib/checkout.js'
import { round, summarize } from './lib/proc.js'

const DIRS = (process.env.BENCH_AB_DIRS ?? '').split(',').filter(Boolean)
const N = Number(process.env.BENCH_RELAY_N ?? 200)
const UPDATES = Number(process.env.BENCH_RELAY_UPDATES ?? 500)
const ROUNDS = Number(process.env.BENCH_RELAY_ROUNDS ?? 6)

interface Version {
  label: string
  /** Sends one typed update and resolves once the room relayed it. */
  type(seq: number): Promise<void>
  cpuUs: number[]
  gcs: number[]
  /** Wall time inside the room doc's transactions per update (µs). */
  transactionUs: number[]
  takeTransactionMs(): number
}

async function prepare(dir: string): Promise<Version> {
  const { SqliteStore } = await loadFromCheckout<{ SqliteStore: new (file: string) => unknown }>(
    dir,
    'server/storage/sqlite-store.ts',
    'server/sqlite-store.ts',
  )
  const { Rooms } = await loadFromCheckout<{
    Rooms: new (deps: object) => { acquire(id: string): Promise<unknown> }
  }>(dir, 'server/realtime/rooms.ts', 'server/rooms.ts')
  const { AppendBatcher } = await loadFromCheckout<{ AppendBatcher: new (store: unknown) => unknown }>(
    dir,
    'server/realtime/append-batcher.ts',
    'server/append-batcher.ts',
  )
  const { createLogger } = await loadFromCheckout<{ createLogger(level: string): unknown }>(
    dir,
    'server/log.ts',
  )
  const { loadTemplates } = await loadFromCheckout<{ loadTemplates(dir: string): Map<string, unknown> }>(
    dir,
    'server/templates/templates.ts',
    'server/templates.ts',
  )
  const { initBoard } = await loadFromCheckout<{
    initBoard(doc: Y.Doc, template: unknown, init: object): void
  }>(dir, 'model/board.ts')
  const { syncMessage } = await loadFromCheckout<{
    syncMessage(type: number, payload: Uint8Array): Uint8Array
  }>(dir, 'server/realtime/protocol.ts', 'server/protocol.ts')
  const template = loadTemplates(path.join(dir, 'templates')).get('pact-westfriesland-7.1')
  const board = new Y.Doc()
  initBoard(board, template, { id: 'bench', title: 'Benchmark', now: Date.now() })
  const store = new SqliteStore(':memory:') as {
    createBoard(record: object, update: Uint8Array): Promise<void>
  }
  await store.createBoard(
    {
      id: 'bench',
      createdAt: Date.now(),
      tokenHashes: { facilitator: 'f', participant: 'p', observer: 'o' },
    },
    Y.encodeStateAsUpdate(board),
  )
  const rooms = new Rooms({
    store,
    appender: new AppendBatcher(store),
    log: createLogger('error'),
    compactEvery: 1_000_000,
  })
  const room = (await rooms.acquire('bench')) as {
    doc: Y.Doc
    join(c: FakeConnection): void
    receive(c: FakeConnection, data: Uint8Array): void
  }
  // Time inside the room's Yjs transactions (applying updates, and what observes them), per update.
  let inTransaction = 0
  let began = 0
  room.doc.on('beforeTransaction', () => {
    began = performance.now()
  })
  room.doc.on('afterTransactionCleanup', () => {
    inTransaction += performance.now() - began
  })
  let relayed: (() => void) | null = null
  const connections: FakeConnection[] = Array.from({ length: N }, (_, i) => ({
    id: `c${i}`,
    role: 'participant',
    send: i === 1 ? () => relayed?.() : () => {},
    close() {},
  }))
  for (const c of connections) room.join(c)
  const writer = connections[0] as FakeConnection
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(room.doc))
  const cards = doc.getMap('cards')
  const cardId = [...cards.keys()].find(
    (id) => (cards.get(id) as Y.Map<unknown>).get('actie') instanceof Y.Text,
  )
  const card = cards.get(cardId as string) as Y.Map<unknown>
  const text = card.get('actie') as Y.Text
  let update: Uint8Array | null = null
  doc.on('update', (u: Uint8Array) => {
    update = u
  })
  return {
    label: checkoutLabel(dir),
    cpuUs: [],
    gcs: [],
    transactionUs: [],
    takeTransactionMs() {
      const ms = inTransaction
      inTransaction = 0
      return ms
    },
    type(seq) {
      doc.transact(() => {
        text.insert(text.length, `[w0s${seq}t${Date.now()}]`)
        card.set('updatedAt', Date.now())
      })
      const done = new Promise<void>((resolve) => {
        relayed = resolve
      })
      room.receive(writer, syncMessage(2, update as unknown as Uint8Array))
      return done
    },
  }
}

async function main() {
  if (DIRS.length < 2) throw new Error('BENCH_AB_DIRS=<checkout>,<checkout>')
  const versions: Version[] = []
  for (const dir of DIRS) versions.push(await prepare(dir))
  console.log(
    `room relay A/B: ${versions.map((v) => v.label).join(' vs ')}; ${N} connections, ${UPDATES} updates × ${ROUNDS} rounds each, interleaved`,
  )
  let gcCount = 0
  new PerformanceObserver((list) => {
    gcCount += list.getEntries().length
  }).observe({ entryTypes: ['gc'] })
  const seqs = new Map<Version, number>(versions.map((v) => [v, 0]))
  for (const v of versions) for (let i = 0; i < 200; i++) await v.type(i) // warm up the JIT
  for (let r = 0; r < ROUNDS; r++) {
    for (const v of r % 2 === 0 ? versions : [...versions].reverse()) {
      const gc0 = gcCount
      v.takeTransactionMs()
      const cpu0 = process.cpuUsage()
      for (let i = 0; i < UPDATES; i++) {
        const seq = (seqs.get(v) ?? 0) + 1
        seqs.set(v, seq)
        await v.type(seq)
      }
      const cpu = process.cpuUsage(cpu0)
      await new Promise((resolve) => setImmediate(resolve)) // let the GC observer report
      v.cpuUs.push((cpu.user + cpu.system) / UPDATES)
      v.gcs.push(((gcCount - gc0) * 1000) / UPDATES)
      v.transactionUs.push((v.takeTransactionMs() * 1000) / UPDATES)
    }
  }
  for (const v of versions) {
    const cpu = summarize(v.cpuUs)
    console.log(
      `${v.label.padEnd(10)} CPU per update: median ${round(cpu.p50)} µs (rounds ${v.cpuUs.map(round).join(', ')}); ` +
        `GCs per 1,000 updates: median ${round(summarize(v.gcs).p50)}; ` +
        `in the room doc's transactions: median ${round(summarize(v.transactionUs).p50)} µs per update`,
    )
  }
  process.exit(0)
}

await main()
