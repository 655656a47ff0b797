/**
 * Fan-out on one board across several instances (PostgreSQL + Redis, behind the shipped nginx
 * configuration) against one instance, and the single-instance figures (embedded SQLite, PostgreSQL)
 * beside the reference server (`@y/websocket-server`, in memory), all in the same run. Printed, and
 * written to bench/results/cluster.json. `BENCH_QUICK=1` for a short run.
 *
 * PostgreSQL, Redis and nginx are throwaway servers on free loopback ports (test/services/), PostgreSQL
 * with fsync on as in production. Clients are stock y-websocket clients in load processes
 * (bench/load-client.ts); in the cluster they all connect through nginx, which spreads them.
 * Scenario: one writer typing 20 updates/s into a card for SECONDS; latency is writer → every other client.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { projectRoot } from '../server/paths.js'
import { startNginx } from '../test/services/nginx.js'
import { freePort } from '../test/services/ports.js'
import { startPostgres } from '../test/services/postgres.js'
import { startRedis } from '../test/services/redis.js'
import { type PreparedRoom, prepareOurs, prepareReference } from './lib/clients.js'
import { LoadPool } from './lib/load-pool.js'
import { cpuSeconds, round, summarize } from './lib/proc.js'
import { type BenchServer, oursVersion, referenceVersion, startOurs, startReference } from './lib/servers.js'

const QUICK = process.env.BENCH_QUICK === '1'
const SECONDS = QUICK ? 3 : 10
const RAMP_MS = QUICK ? 3000 : 15_000
const LOAD_PROCS = Number(process.env.BENCH_LOAD_PROCS ?? 2)
const BIG_N = QUICK ? 150 : 600
const N = QUICK ? 50 : 200
const RATE = 20
const DRAIN_MS = 2000

const ns = () => process.hrtime.bigint()
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))

interface Setup {
  name: string
  /** The address clients and the API use (nginx for the cluster), and the processes serving it. */
  entry: BenchServer
  pids: number[]
  stop(): Promise<void>
}

async function single(name: string, server: BenchServer): Promise<Setup> {
  return { name, entry: server, pids: [server.pid], stop: () => server.stop() }
}

async function cluster(name: string, instances: number, env: Record<string, string>): Promise<Setup> {
  const ports = await Promise.all(Array.from({ length: instances }, () => freePort()))
  const servers = await Promise.all(ports.map((port) => startOurs({ ...env, PORT: String(port) })))
  const nginx = await startNginx(ports)
  return {
    name,
    entry: {
      ...(servers[0] as BenchServer),
      url: nginx.url,
      wsUrl: `${nginx.url.replace(/^http/, 'ws')}/sync`,
    },
    pids: servers.map((s) => s.pid),
    async stop() {
      await nginx.destroy()
      await Promise.all(servers.map((s) => s.stop()))
    },
  }
}

async function run(pool: LoadPool, setup: Setup, n: number, seed: PreparedRoom | null) {
  const room =
    setup.entry.kind === 'reference' && seed
      ? await prepareReference(setup.entry, seed)
      : await prepareOurs(setup.entry, 0)
  const rampStart = ns() + 200_000_000n
  await pool.connect({
    wsUrl: setup.entry.wsUrl,
    room: () => room.room,
    token: () => room.token,
    total: n,
    rampStart: String(rampStart),
    rampMs: RAMP_MS,
    waitCards: room.writerCards,
    presence: true,
  })
  const begin = ns() + 1_000_000_000n
  const cpuBefore = setup.pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0)
  pool.run([
    {
      client: 0,
      writer: 0,
      cardId: room.writerCards[0] as string,
      rate: RATE,
      count: RATE * SECONDS,
      start: String(begin),
      phaseMs: 0,
    },
  ])
  await sleep(Number(begin - ns()) / 1e6 + SECONDS * 1000 + DRAIN_MS)
  const cpu = setup.pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0) - cpuBefore
  const samples = await pool.collect()
  await pool.close()
  const latency = summarize(samples.latencies)
  return {
    setup: setup.name,
    n,
    p50: round(latency.p50),
    p95: round(latency.p95),
    p99: round(latency.p99),
    max: round(latency.max),
    delivered: samples.latencies.length,
    expected: samples.written * (n - 1),
    disconnects: samples.disconnects,
    serverCpuS: round(cpu),
    room,
  }
}

async function main() {
  const t0 = performance.now()
  const [pg, redis] = await Promise.all([startPostgres({ fsync: true }), startRedis()])
  const pool = await LoadPool.start(LOAD_PROCS)
  console.log(
    `cluster fan-out: werkbord ${oursVersion()} vs @y/websocket-server ${referenceVersion()} (in memory); ` +
      `${os.cpus().length} cores, ${LOAD_PROCS} load processes, 1 writer × ${RATE}/s for ${SECONDS} s${QUICK ? ' (quick)' : ''}`,
  )
  const results: Omit<Awaited<ReturnType<typeof run>>, 'room'>[] = []
  let seed: PreparedRoom | null = null
  const plan: [() => Promise<Setup>, number][] = [
    [async () => single('embedded SQLite, 1 instance', await startOurs()), N],
    [async () => single('reference (in memory)', await startReference()), N],
    [
      async () =>
        single('PostgreSQL, 1 instance', await startOurs({ DATABASE_URL: await pg.createDatabase() })),
      N,
    ],
    [
      async () =>
        cluster('PostgreSQL + Redis, 1 instance behind nginx', 1, {
          DATABASE_URL: await pg.createDatabase(),
          REDIS_URL: redis.url,
        }),
      N,
    ],
    [
      async () =>
        cluster('PostgreSQL + Redis, 3 instances behind nginx', 3, {
          DATABASE_URL: await pg.createDatabase(),
          REDIS_URL: redis.url,
        }),
      N,
    ],
    [
      async () =>
        cluster('PostgreSQL + Redis, 3 instances behind nginx', 3, {
          DATABASE_URL: await pg.createDatabase(),
          REDIS_URL: redis.url,
        }),
      BIG_N,
    ],
  ]
  for (const [make, n] of plan) {
    const setup = await make()
    try {
      const { room, ...result } = await run(pool, setup, n, seed)
      seed ??= room
      results.push(result)
      console.log(
        `${setup.name.padEnd(46)} N=${String(n).padStart(3)}  p50 ${String(result.p50).padStart(6)}  p95 ${String(result.p95).padStart(6)}  ` +
          `p99 ${String(result.p99).padStart(6)}  max ${String(result.max).padStart(6)} ms  delivered ${result.delivered}/${result.expected}  ` +
          `server CPU ${result.serverCpuS} s  disconnects ${result.disconnects}`,
      )
    } finally {
      await setup.stop()
    }
  }
  await pool.exit()
  await redis.destroy()
  pg.destroy()
  const reference = results.find((r) => r.setup.startsWith('reference'))
  if (reference) {
    console.log('\np99 against the reference (N = 200 unless said):')
    for (const r of results) {
      if (r === reference) continue
      console.log(`  ${r.setup} N=${r.n}: ${(r.p99 / reference.p99).toFixed(2)}×`)
    }
  }
  const out = path.join(projectRoot, 'bench', 'results')
  fs.mkdirSync(out, { recursive: true })
  fs.writeFileSync(
    path.join(out, 'cluster.json'),
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        cores: os.cpus().length,
        ours: `werkbord ${oursVersion()}`,
        reference: `@y/websocket-server ${referenceVersion()} (in memory)`,
        quick: QUICK,
        settings: {
          seconds: SECONDS,
          rampMs: RAMP_MS,
          loadProcesses: LOAD_PROCS,
          rate: RATE,
          drainMs: DRAIN_MS,
        },
        results,
      },
      null,
      2,
    )}\n`,
  )
  console.log(`\ncluster fan-out took ${round((performance.now() - t0) / 1000)} s`)
}

await main()
