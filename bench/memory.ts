/**
 * Memory figures (printed, and written to bench/results/memory.json): the server's resident memory
 * with 1,000 idle boards loaded (one stock client each) and after they unloaded, and the overhead of
 * one more connection in a room. Our server and the reference server, each in a fresh process.
 * `BENCH_QUICK=1` for a short run. What each figure means: bench/README.md.
 */
import fs from 'node:fs'
import path from 'node:path'
import * as Y from 'yjs'
import { projectRoot } from '../server/paths.js'
import { type PreparedRoom, prepareOurs, stockClient } from './lib/clients.js'
import { LoadPool } from './lib/load-pool.js'
import { memory, round } from './lib/proc.js'
import {
  type BenchServer,
  createBoard,
  health,
  oursVersion,
  referenceVersion,
  type ServerKind,
  startOurs,
  startReference,
  until,
} from './lib/servers.js'

const QUICK = process.env.BENCH_QUICK === '1'
const ROOMS = QUICK ? 200 : 1000
const CONNECTIONS = QUICK ? 50 : 200
const LOAD_PROCS = Number(process.env.BENCH_LOAD_PROCS ?? 2)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const ns = () => process.hrtime.bigint()

/** RSS (MiB) once it has stopped moving: the largest of a few samples after `settleMs`. */
async function rss(server: BenchServer, settleMs = 2000): Promise<number> {
  await sleep(settleMs)
  let value = 0
  for (let i = 0; i < 5; i++) {
    value = Math.max(value, memory(server.pid).rssMiB)
    await sleep(100)
  }
  return value
}

async function createBoards(server: BenchServer, count: number): Promise<{ id: string; token: string }[]> {
  const boards: { id: string; token: string }[] = []
  const next = async (): Promise<void> => {
    while (boards.length < count) {
      boards.push({ id: '', token: '' }) // claim a slot
      const at = boards.length - 1
      const board = await createBoard(server.url, 'pact-westfriesland-7.1', `Bord ${at + 1}`)
      boards[at] = { id: board.id, token: board.tokens.participant }
    }
  }
  await Promise.all([next(), next(), next(), next()])
  return boards
}

async function measure(pool: LoadPool, kind: ServerKind, seed: PreparedRoom) {
  const server = kind === 'ours' ? await startOurs() : await startReference()
  const boot = await rss(server, 1000)
  // Ours: real boards (Pact 7.1 template, 20 cards). Reference: rooms the clients bring that board to.
  const rooms =
    kind === 'ours'
      ? await createBoards(server, ROOMS)
      : Array.from({ length: ROOMS }, (_, i) => ({ id: `mem-${i}`, token: '' }))
  const base = await rss(server)
  // Two rounds of loading every board and letting it go: memory that is only kept by the allocator
  // stays level in the second round; memory that leaks grows again.
  const rounds = []
  for (let round_ = 1; round_ <= 2; round_++) {
    await pool.connect({
      wsUrl: server.wsUrl,
      total: ROOMS,
      room: (i) => rooms[i]?.id as string,
      token: (i) => rooms[i]?.token || null,
      seed: kind === 'reference' ? seed.state : null,
      rampStart: String(ns() + 100_000_000n),
      rampMs: ROOMS * 10,
      waitCards: [],
      presence: true,
    })
    const loadedRooms = kind === 'ours' ? (await health(server.url)).rooms : null
    const loaded = await rss(server, 3000)
    await pool.close()
    if (kind === 'ours') {
      await until(async () => (await health(server.url)).rooms === 0, 120_000, 'rooms to unload')
    }
    const unloaded = await rss(server, 5000)
    rounds.push({ loadedRooms, loaded, unloaded })
  }
  const [first, second] = rounds as [(typeof rounds)[0], (typeof rounds)[0]]

  // One room: a first client, then CONNECTIONS more.
  const one = kind === 'ours' ? (await createBoards(server, 1))[0] : { id: 'mem-one', token: '' }
  if (!one) throw new Error('no board')
  const holderDoc = new Y.Doc()
  if (kind === 'reference') Y.applyUpdate(holderDoc, seed.state)
  const holder = stockClient(server.wsUrl, one.id, one.token || null, holderDoc)
  await holder.ready()
  const single = await rss(server)
  await pool.connect({
    wsUrl: server.wsUrl,
    total: CONNECTIONS,
    room: () => one.id,
    token: () => one.token || null,
    seed: null,
    rampStart: String(ns() + 100_000_000n),
    rampMs: CONNECTIONS * 20,
    waitCards: [],
    presence: true,
  })
  const many = await rss(server, 3000)
  await pool.close()
  await holder.destroy()
  const peak = memory(server.pid).peakRssMiB
  await server.stop()
  return {
    server: kind,
    rssMiB: {
      afterStart: round(boot),
      [`${ROOMS} boards stored, none loaded`]: round(base),
      [`${ROOMS} boards loaded, one client each`]: round(first.loaded),
      [`after the ${ROOMS} clients left`]: round(first.unloaded),
      [`${ROOMS} boards loaded again`]: round(second.loaded),
      'after they left again': round(second.unloaded),
      peak: round(peak),
    },
    loadedRooms: first.loadedRooms,
    perLoadedBoardKiB: round(((first.loaded - base) * 1024) / ROOMS),
    retainedAfterUnloadMiB: round(first.unloaded - base),
    growthSecondRoundMiB: round(second.unloaded - first.unloaded),
    perConnectionKiB: round(((many - single) * 1024) / CONNECTIONS),
    connectionsInOneRoom: CONNECTIONS,
  }
}

async function main() {
  process.env.BENCH_PROBE ??= '0' // RSS of the servers as they are, without the in-process probe
  const t0 = performance.now()
  const pool = await LoadPool.start(LOAD_PROCS)
  const seeder = await startOurs()
  const seed = await prepareOurs(seeder, 0)
  await seeder.stop()
  const results = []
  for (const kind of ['ours', 'reference'] as const) {
    const result = await measure(pool, kind, seed)
    results.push(result)
    console.log(
      `${kind.padStart(9)} RSS: ${Object.entries(result.rssMiB)
        .map(([k, v]) => `${k} ${v} MiB`)
        .join(', ')}; ` +
        `per loaded board ${result.perLoadedBoardKiB} KiB, per connection ${result.perConnectionKiB} KiB`,
    )
  }
  await pool.exit()
  const out = path.join(projectRoot, 'bench', 'results')
  fs.mkdirSync(out, { recursive: true })
  fs.writeFileSync(
    path.join(out, 'memory.json'),
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        ours: `werkbord ${oursVersion()}`,
        reference: `@y/websocket-server ${referenceVersion()} (in memory)`,
        quick: QUICK,
        board: { template: 'pact-westfriesland-7.1', cards: seed.cards, encodedBytes: seed.encodedBytes },
        results,
      },
      null,
      2,
    )}\n`,
  )
  console.log(`memory took ${round((performance.now() - t0) / 1000)} s`)
}

await main()
