/**
 * Fan-out latency and initial sync, our server against the reference server (`@y/websocket-server`
 * 0.1.1, in memory) in the same run. Printed, and written to bench/results/fanout.json.
 * What each figure means: bench/README.md. `BENCH_QUICK=1` for a short run.
 *
 * Every session starts a fresh server process, prepares one room, and opens N stock clients in
 * separate load processes (bench/load-client.ts), created evenly over a ramp of 15 s so their presence
 * renewals (every 15 s) are spread as in a real session. Then the scenarios run one after the other.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { projectRoot } from '../server/paths.js'
import {
  type JoinTiming,
  type PreparedRoom,
  prepareOurs,
  prepareReference,
  stockClient,
  timedJoin,
} from './lib/clients.js'
import { LoadPool } from './lib/load-pool.js'
import type { WriterPlan } from './lib/load-protocol.js'
import { cpuSeconds, machineCpu, memory, RssSampler, round, summarize, waitForQuiet } from './lib/proc.js'
import {
  type BenchServer,
  health,
  oursVersion,
  referenceVersion,
  type ServerKind,
  startOurs,
  startReference,
  until,
} from './lib/servers.js'

const QUICK = process.env.BENCH_QUICK === '1'
const SIZES = (process.env.BENCH_SIZES ?? (QUICK ? '10,50' : '10,50,200')).split(',').map(Number)
const SECONDS = QUICK ? 3 : 10
const RAMP_MS = Number(process.env.BENCH_RAMP_MS ?? (QUICK ? 3000 : 15_000))
const LOAD_PROCS = Number(process.env.BENCH_LOAD_PROCS ?? 2)
const JOINS = QUICK ? 3 : 10
const BIG_CARDS = 1000
const SYNC_LOAD_N = QUICK ? 50 : 200
const DRAIN_MS = 2000
/** A window in which other processes used more than this (% of one core) is run again. */
const QUIET_PCT = Number(process.env.BENCH_QUIET_PCT ?? 25)
const RETRIES = Number(process.env.BENCH_RETRIES ?? 1)
/** Longest wait for a quiet machine before a session (then it runs anyway, marked). */
const QUIET_WAIT_MS = Number(process.env.BENCH_QUIET_WAIT_S ?? 30) * 1000
/** All waiting for quiet and all repeated sessions together stay within this, to bound the run. */
let extraLeftMs = Number(process.env.BENCH_EXTRA_S ?? (QUICK ? 60 : 180)) * 1000

interface Scenario {
  name: string
  writers: number
  rate: number
  seconds: number
}
const A: Scenario = { name: 'A: 1 writer × 20/s', writers: 1, rate: 20, seconds: SECONDS }
const B: Scenario = { name: 'B: 5 writers × 10/s', writers: 5, rate: 10, seconds: SECONDS }

const ns = () => process.hrtime.bigint()
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))
const sleepUntil = (at: bigint) => sleep(Number(at - ns()) / 1e6)

interface CpuSnap {
  at: number
  server: number
  load: number[]
  self: number
  machine: { busy: number; total: number }
}

function snap(server: BenchServer, pool: LoadPool): CpuSnap {
  const usage = process.cpuUsage()
  return {
    at: performance.now(),
    server: cpuSeconds(server.pid),
    load: pool.pids.map(cpuSeconds),
    self: (usage.user + usage.system) / 1e6,
    machine: machineCpu(),
  }
}

/** CPU use between two snapshots, as a share of one core (100 % = one core busy). */
function cpuBetween(a: CpuSnap, b: CpuSnap) {
  const wall = (b.at - a.at) / 1000
  const pct = (seconds: number) => round((100 * seconds) / wall)
  const server = b.server - a.server
  const load = b.load.map((v, i) => v - (a.load[i] ?? 0))
  const self = b.self - a.self
  const busy = b.machine.busy - a.machine.busy
  return {
    seconds: round(wall),
    serverCpuS: round(server),
    serverCpuPct: pct(server),
    loadCpuPct: load.map(pct),
    benchCpuPct: pct(self),
    /** All cores of the machine; 200 % = both cores of a 2-core machine busy. */
    machineBusyPct: pct(busy),
    /** Busy time not explained by server, load processes and this process (other work on the host). */
    otherPct: pct(Math.max(0, busy - server - load.reduce((s, v) => s + v, 0) - self)),
  }
}

function plans(scenario: Scenario, room: PreparedRoom, start: bigint): WriterPlan[] {
  return Array.from({ length: scenario.writers }, (_, w) => ({
    client: w, // clients 0..4 alternate between the load processes
    writer: w,
    cardId: room.writerCards[w] as string,
    rate: scenario.rate,
    count: scenario.rate * scenario.seconds,
    start: String(start),
    phaseMs: (w * 1000) / scenario.rate / scenario.writers, // writers evenly out of phase
  }))
}

function joinSummary(joins: JoinTiming[]) {
  const of = (key: keyof JoinTiming) => {
    const s = summarize(joins.map((j) => j[key]))
    return { p50: round(s.p50), p95: round(s.p95), max: round(s.max) }
  }
  return { count: joins.length, totalMs: of('totalMs'), serverMs: of('serverMs'), applyMs: of('applyMs') }
}

async function start(kind: ServerKind): Promise<BenchServer> {
  return kind === 'ours' ? startOurs() : startReference()
}

async function prepare(server: BenchServer, seed: PreparedRoom): Promise<PreparedRoom> {
  if (server.kind === 'reference') return prepareReference(server, seed)
  const room = await prepareOurs(server, seed.imported)
  return room
}

/**
 * One server, one room, N clients; runs the scenarios in turn. With `joins`, a late joiner also
 * joins the room (one after the other, a second apart) while the first scenario runs.
 */
async function session(
  pool: LoadPool,
  kind: ServerKind,
  n: number,
  seed: PreparedRoom,
  scenarios: Scenario[],
  joins = 0,
) {
  const server = await start(kind)
  const room = await prepare(server, seed)
  const sampler = new RssSampler([server.pid])
  const before = snap(server, pool)
  const rampStart = ns() + 200_000_000n
  const connectMs = await pool.connect({
    wsUrl: server.wsUrl,
    room: () => room.room,
    token: () => room.token,
    total: n,
    rampStart: String(rampStart),
    rampMs: RAMP_MS,
    waitCards: room.writerCards,
    presence: true,
  })
  const connected = snap(server, pool)
  const windows = []
  let begin = ns() + 1_000_000_000n
  const afterRamp = rampStart + BigInt(RAMP_MS) * 1_000_000n + 1_000_000_000n
  if (begin < afterRamp) begin = afterRamp
  let joinTimings: JoinTiming[] = []
  for (const [index, scenario] of scenarios.entries()) {
    pool.run(plans(scenario, room, begin))
    await server.probe() // the server's own figures count from here (a second before the window)
    await sleepUntil(begin)
    const a = snap(server, pool)
    if (index === 0 && joins > 0) {
      for (let j = 0; j < joins; j++) {
        await sleepUntil(begin + BigInt(j + 1) * 1_000_000_000n)
        joinTimings.push(await timedJoin(server, room))
      }
    }
    await sleepUntil(begin + BigInt(scenario.seconds * 1000 + DRAIN_MS) * 1_000_000n)
    const b = snap(server, pool)
    const probe = await server.probe()
    const samples = await pool.collect()
    const latency = summarize(samples.latencies)
    const expected = samples.written * (n - 1)
    windows.push({
      scenario: scenario.name,
      writers: scenario.writers,
      rate: scenario.rate,
      seconds: scenario.seconds,
      latencyMs: {
        p50: round(latency.p50),
        p95: round(latency.p95),
        p99: round(latency.p99),
        max: round(latency.max),
        mean: round(latency.mean),
      },
      delivered: samples.latencies.length,
      expected,
      written: samples.written,
      writerLagMs: round(summarize(samples.writerLagMs).max),
      disconnects: samples.disconnects,
      serverPeakRssMiB: round(sampler.peak(server.pid, a.at, b.at)),
      cpu: cpuBetween(a, b),
      // Inside the server (bench/lib/server-probe.mjs): event-loop delay, GC pauses, context switches.
      server: probe && {
        loopDelayMs: probe.loopDelayMs,
        gc: { count: probe.gc.count, totalMs: probe.gc.totalMs, maxMs: probe.gc.maxMs },
        voluntarySwitches: probe.voluntarySwitches,
        involuntarySwitches: probe.involuntarySwitches,
        heapUsedMiB: probe.heapUsedMiB,
      },
      ...(index === 0 && joins > 0 ? { lateJoin: joinSummary(joinTimings) } : {}),
    })
    begin = ns() + 1_000_000_000n
  }
  joinTimings = []
  const peak = memory(server.pid).peakRssMiB
  sampler.stop()
  await pool.close()
  await server.stop()
  const connect = summarize(connectMs)
  return {
    server: kind,
    n,
    room: seed.imported === 0 ? `Pact 7.1 board, ${seed.cards} cards` : `${seed.cards}-card board`,
    connect: { p50Ms: round(connect.p50), maxMs: round(connect.max), cpu: cpuBetween(before, connected) },
    serverPeakRssMiB: round(peak),
    windows,
  }
}

/** A session, run again (up to RETRIES times) when other processes disturbed one of its windows. */
async function quiet(pool: LoadPool): Promise<number> {
  const start = performance.now()
  const other = await waitForQuiet(pool.pids, QUIET_PCT, Math.max(0, Math.min(QUIET_WAIT_MS, extraLeftMs)))
  extraLeftMs -= performance.now() - start
  return other
}

async function quietSession(...args: Parameters<typeof session>) {
  const [pool, kind, n] = args
  for (let attempt = 1; ; attempt++) {
    const otherBefore = await quiet(pool)
    const start = performance.now()
    const result = await session(...args)
    if (attempt > 1) extraLeftMs -= performance.now() - start
    const other = Math.max(...result.windows.map((w) => w.cpu.otherPct))
    const disturbed = other > QUIET_PCT
    if (!disturbed || attempt > RETRIES || extraLeftMs <= 0)
      return { ...result, attempt, otherBefore, disturbed }
    console.log(
      `  (${kind} N=${n}: other processes used ${other} % of a core during a window; running it again)`,
    )
  }
}

/** Late joiners into the 1,000-card room with nobody else in it: warm, and (ours) cold from disk. */
async function idleJoins(pool: LoadPool, kind: ServerKind, seed: PreparedRoom) {
  const otherBefore = await quiet(pool)
  const server = await start(kind)
  const room = await prepare(server, seed)
  // A holder keeps the room loaded between joins (warm); one join first to warm up the JIT.
  const holder = stockClient(server.wsUrl, room.room, room.token)
  await holder.ready()
  await timedJoin(server, room)
  const a = snap(server, pool)
  const warm: JoinTiming[] = []
  for (let i = 0; i < JOINS; i++) {
    warm.push(await timedJoin(server, room))
    await sleep(200)
  }
  await holder.destroy()
  let cold: JoinTiming[] | null = null
  if (kind === 'ours') {
    // Cold: the room is unloaded (compacted, freed) before each join and loaded from SQLite by it.
    cold = []
    for (let i = 0; i < JOINS; i++) {
      await until(async () => (await health(server.url)).rooms === 0, 10_000, 'the room to unload')
      cold.push(await timedJoin(server, room))
    }
  }
  const cpu = cpuBetween(a, snap(server, pool))
  await server.stop()
  return {
    server: kind,
    otherBefore,
    otherPct: cpu.otherPct,
    disturbed: cpu.otherPct > QUIET_PCT,
    boardBytes: room.encodedBytes,
    warm: joinSummary(warm),
    ...(cold ? { cold: joinSummary(cold) } : {}),
  }
}

const pad = (value: unknown, width: number) => String(value).padStart(width)
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : '–')

async function main() {
  const t0 = performance.now()
  const pool = await LoadPool.start(LOAD_PROCS)
  console.log(
    `fan-out & initial sync: our server (werkbord ${oursVersion()}) vs @y/websocket-server ${referenceVersion()} (in memory); ` +
      `${os.cpus().length} cores, ${LOAD_PROCS} load processes, N = ${SIZES.join(', ')}, ${SECONDS} s per scenario${QUICK ? ' (quick)' : ''}`,
  )

  // The documents both servers hold: made on our server (API), copied into the reference's rooms.
  const seeder = await startOurs()
  const smallSeed = await prepareOurs(seeder, 0)
  const bigSeed = await prepareOurs(seeder, BIG_CARDS)
  await seeder.stop()

  const fanout: Awaited<ReturnType<typeof quietSession>>[] = []
  for (const [i, n] of SIZES.entries()) {
    const order: ServerKind[] = i % 2 === 0 ? ['ours', 'reference'] : ['reference', 'ours']
    for (const kind of order) {
      const result = await quietSession(pool, kind, n, smallSeed, [A, B])
      fanout.push(result)
      for (const w of result.windows) {
        console.log(
          `${pad(kind, 9)} N=${pad(n, 3)} ${w.scenario.padEnd(20)} p50 ${pad(w.latencyMs.p50, 5)}  p95 ${pad(w.latencyMs.p95, 5)}  p99 ${pad(w.latencyMs.p99, 5)}  max ${pad(w.latencyMs.max, 5)} ms  ` +
            `delivered ${w.delivered}/${w.expected}  server ${w.cpu.serverCpuS} CPU s, peak ${w.serverPeakRssMiB} MiB  ` +
            `load ${w.cpu.loadCpuPct.join('+')} %  machine ${w.cpu.machineBusyPct} % (other ${w.cpu.otherPct} %)` +
            (w.server
              ? `  loop delay p99 ${round(w.server.loopDelayMs.p99)} max ${round(w.server.loopDelayMs.max)} ms, GC longest ${round(w.server.gc.maxMs)} ms`
              : ''),
        )
      }
    }
  }

  const idle = []
  for (const kind of ['ours', 'reference'] as const) {
    const result = await idleJoins(pool, kind, bigSeed)
    idle.push(result)
    console.log(
      `${pad(kind, 9)} late joiner, ${BIG_CARDS} cards (${round(result.boardBytes / 1024)} KiB), idle: ` +
        `p50 ${result.warm.totalMs.p50} ms (server ${result.warm.serverMs.p50} + client apply ${result.warm.applyMs.p50}), max ${result.warm.totalMs.max}` +
        (result.cold
          ? `; cold from disk p50 ${result.cold.totalMs.p50} ms (server ${result.cold.serverMs.p50} + apply ${result.cold.applyMs.p50}), max ${result.cold.totalMs.max}`
          : ''),
    )
  }
  const underLoad = []
  for (const kind of ['ours', 'reference'] as const) {
    const result = await quietSession(pool, kind, SYNC_LOAD_N, bigSeed, [{ ...A, seconds: JOINS + 2 }], JOINS)
    underLoad.push(result)
    const w = result.windows[0]
    const join = w && 'lateJoin' in w ? w.lateJoin : undefined
    if (w && join) {
      console.log(
        `${pad(kind, 9)} late joiner under N=${SYNC_LOAD_N} (${w.scenario}, same room): p50 ${join.totalMs.p50} ms ` +
          `(server ${join.serverMs.p50} + apply ${join.applyMs.p50}), p95 ${join.totalMs.p95}, max ${join.totalMs.max}; ` +
          `fan-out there p99 ${w.latencyMs.p99} ms; server ${w.cpu.serverCpuPct} %, load ${w.cpu.loadCpuPct.join('+')} %`,
      )
    }
  }
  await pool.exit()

  // Our figures against the reference's, and the issue's targets.
  console.log('\nours / reference (fan-out latency):')
  const comparisons = []
  for (const n of SIZES) {
    const ours = fanout.find((r) => r.server === 'ours' && r.n === n)
    const ref = fanout.find((r) => r.server === 'reference' && r.n === n)
    for (const [i, w] of (ours?.windows ?? []).entries()) {
      const r = ref?.windows[i]
      if (!r) continue
      const entry = {
        n,
        scenario: w.scenario,
        p50: round(w.latencyMs.p50 / r.latencyMs.p50),
        p95: round(w.latencyMs.p95 / r.latencyMs.p95),
        p99: round(w.latencyMs.p99 / r.latencyMs.p99),
        max: round(w.latencyMs.max / r.latencyMs.max),
        serverCpu: round(w.cpu.serverCpuS / r.cpu.serverCpuS),
        peakRss: round(w.serverPeakRssMiB / r.serverPeakRssMiB),
      }
      comparisons.push(entry)
      console.log(
        `  N=${pad(n, 3)} ${w.scenario.padEnd(20)} p50 ${ratio(w.latencyMs.p50, r.latencyMs.p50)}  p95 ${ratio(w.latencyMs.p95, r.latencyMs.p95)}  ` +
          `p99 ${ratio(w.latencyMs.p99, r.latencyMs.p99)}  max ${ratio(w.latencyMs.max, r.latencyMs.max)}  ` +
          `server CPU ${ratio(w.cpu.serverCpuS, r.cpu.serverCpuS)}  peak RSS ${ratio(w.serverPeakRssMiB, r.serverPeakRssMiB)}`,
      )
    }
  }

  const targets: { what: string; value: number; limit: number; met: boolean }[] = []
  const check = (what: string, value: number | undefined, limit: number | undefined) => {
    if (value === undefined || limit === undefined) return
    const met = value <= limit
    targets.push({ what, value: round(value), limit: round(limit), met })
    console.log(`  ${met ? 'met ' : 'MISS'}  ${what}: ${round(value)} ≤ ${round(limit)}`)
  }
  console.log('\ntargets (issue 6):')
  for (const c of comparisons) {
    const ours = fanout
      .find((r) => r.server === 'ours' && r.n === c.n)
      ?.windows.find((w) => w.scenario === c.scenario)
    const ref = fanout
      .find((r) => r.server === 'reference' && r.n === c.n)
      ?.windows.find((w) => w.scenario === c.scenario)
    check(`p99 N=${c.n} ${c.scenario} ≤ reference (ms)`, ours?.latencyMs.p99, ref?.latencyMs.p99)
  }
  const at200 = (scenario: Scenario) =>
    fanout.find((r) => r.server === 'ours' && r.n === 200)?.windows.find((w) => w.scenario === scenario.name)
  check('p99 N=200, one writer (ms)', at200(A)?.latencyMs.p99, 25)
  check('p99 N=200, five writers (ms)', at200(B)?.latencyMs.p99, 80)
  const oursIdle = idle.find((r) => r.server === 'ours')
  check('initial sync idle, warm room, p50 (ms)', oursIdle?.warm.totalMs.p50, 50)
  check('initial sync idle, cold from disk, p50 (ms)', oursIdle?.cold?.totalMs.p50, 50)
  const oursLoaded = underLoad.find((r) => r.server === 'ours')?.windows[0]
  check(
    `initial sync under N=${SYNC_LOAD_N} load, p50 (ms)`,
    oursLoaded && 'lateJoin' in oursLoaded ? oursLoaded.lateJoin?.totalMs.p50 : undefined,
    100,
  )

  const out = path.join(projectRoot, 'bench', 'results')
  fs.mkdirSync(out, { recursive: true })
  fs.writeFileSync(
    path.join(out, 'fanout.json'),
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        cores: os.cpus().length,
        ours: `werkbord ${oursVersion()} (durable SQLite)`,
        reference: `@y/websocket-server ${referenceVersion()} (in memory)`,
        quick: QUICK,
        settings: {
          sizes: SIZES,
          seconds: SECONDS,
          rampMs: RAMP_MS,
          loadProcesses: LOAD_PROCS,
          drainMs: DRAIN_MS,
        },
        boards: { fanout: smallSeed.encodedBytes, big: bigSeed.encodedBytes },
        fanout,
        comparisons,
        initialSync: { idle, underLoad },
        targets,
      },
      null,
      2,
    )}\n`,
  )
  console.log(`\nfan-out & initial sync took ${round((performance.now() - t0) / 1000)} s`)
}

await main()
