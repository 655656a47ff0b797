/**
 * Two versions of our server, interleaved: fan-out scenario A (one writer, 20 updates/s) at N clients,
 * version 1, version 2, version 1, version 2 … in fresh processes, so that whatever else the machine
 * does falls on both alike. For each session: the clients' latency (as bench/fanout.ts measures it)
 * and, inside the server (bench/lib/server-probe.mjs), event-loop delay, GC pauses, CPU time and
 * context switches over the window; then the medians per version. Printed only (no results file).
 *
 *   BENCH_AB_DIRS=/path/to/old,/path/to/new npx tsx bench/fanout-ab.ts
 *
 * Each directory is a checkout with node_modules (as BENCH_OURS_DIR); `<checkout>#KEY=value&KEY=value`
 * starts it with those settings too (e.g. `#COMPACT_EVERY=100000`), and `reference` stands for the
 * reference server (its room gets the same board), so that ratios to it come from the same minutes.
 * Settings: BENCH_AB_ROUNDS (default 4: sessions per version; the order rotates), BENCH_AB_N (200),
 * BENCH_AB_SECONDS (10), BENCH_AB_SCENARIOS (A; `A,B` runs B after A on the same connections, as
 * bench/fanout.ts does), BENCH_AB_TIMELINE=1 (when our server compacted, and the slowest updates),
 * BENCH_RAMP_MS (15000), BENCH_PROBE_PROFILE=<dir> (a CPU profile of each window, written by the probe).
 */
import { execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type PreparedRoom, prepareOurs, prepareReference } from './lib/clients.js'
import { LoadPool } from './lib/load-pool.js'
import { cpuSeconds, machineCpu, round, summarize } from './lib/proc.js'
import { type ProbeFigures, startOurs, startReference } from './lib/servers.js'

const DIRS = (process.env.BENCH_AB_DIRS ?? '').split(',').filter(Boolean)
const ROUNDS = Number(process.env.BENCH_AB_ROUNDS ?? 4)
const N = Number(process.env.BENCH_AB_N ?? 200)
const SECONDS = Number(process.env.BENCH_AB_SECONDS ?? 10)
const RAMP_MS = Number(process.env.BENCH_RAMP_MS ?? 15_000)
const RATE = 20
const DRAIN_MS = 2000
/** BENCH_AB_STRACE=1: count the server's system calls in the window (strace -c; slows the server). */
const STRACE = process.env.BENCH_AB_STRACE === '1'

const ns = () => process.hrtime.bigint()
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))

interface Result {
  /** The variant's label. */
  dir: string
  scenario: string
  p50: number
  p95: number
  p99: number
  max: number
  delivered: number
  expected: number
  serverCpuS: number
  /** Other work on the machine during the window, % of one core (busy time none of ours explains). */
  otherPct: number
  probe: ProbeFigures | null
  /** With BENCH_AB_STRACE=1: system calls in the window by name (all threads). */
  syscalls: Record<string, number> | null
  /** Durable appends (batches) in the window, from the server's /metrics: how many, mean, over 5/10/20 ms. */
  appends: Appends | null
  /** Our server's compactions in the window, ms after its start (BENCH_AB_TIMELINE=1). */
  compactionsMs: number[]
  /** The updates that took longest to reach every client: sent (ms after the window's start), took (ms). */
  worst: { sentMs: number; maxMs: number }[]
}

interface Appends {
  batches: number
  updates: number
  meanMs: number
  over5ms: number
  over10ms: number
  over20ms: number
}

/** The append histogram and counter of our server's /metrics (cumulative). */
async function appendMetrics(url: string): Promise<Map<string, number> | null> {
  try {
    const text = await (await fetch(`${url}/metrics`)).text()
    const figures = new Map<string, number>()
    for (const line of text.split('\n')) {
      const match =
        /^(werkbord_append(?:ed_updates_total|_seconds_(?:bucket\{le="([^"]+)"\}|sum|count)))\s+(\S+)$/.exec(
          line,
        )
      if (match) figures.set(match[1] as string, Number(match[3]))
    }
    return figures
  } catch {
    return null
  }
}

function appendsBetween(a: Map<string, number> | null, b: Map<string, number> | null): Appends | null {
  if (!a || !b) return null
  const d = (key: string) => (b.get(key) ?? 0) - (a.get(key) ?? 0)
  const batches = d('werkbord_append_seconds_count')
  const within = (le: string) => d(`werkbord_append_seconds_bucket{le="${le}"}`)
  return {
    batches,
    updates: d('werkbord_appended_updates_total'),
    meanMs: batches > 0 ? (1000 * d('werkbord_append_seconds_sum')) / batches : Number.NaN,
    over5ms: batches - within('0.005'),
    over10ms: batches - within('0.01'),
    over20ms: batches - within('0.02'),
  }
}

function version(dir: string): string {
  try {
    const git = (args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim()
    const dirty = git(['status', '--porcelain', '--', 'server', 'model']) !== ''
    return `${git(['rev-parse', '--short', 'HEAD'])}${dirty ? '+' : ''}`
  } catch {
    return path.basename(dir)
  }
}

/** One server under comparison: a checkout of ours (with extra environment), or the reference server. */
interface Variant {
  label: string
  /** A checkout of ours, or null for the reference server. */
  dir: string | null
  env: Record<string, string>
}

/** `<checkout>[#KEY=value&KEY=value]` or `reference`. */
function variantOf(entry: string): Variant {
  if (entry === 'reference') return { label: 'reference', dir: null, env: {} }
  const [dir, settings] = entry.split('#') as [string, string | undefined]
  const env = Object.fromEntries(
    (settings ?? '')
      .split('&')
      .filter(Boolean)
      .map((pair) => pair.split('=') as [string, string]),
  )
  return { label: `${version(dir)}${settings ? `#${settings}` : ''}`, dir, env }
}

interface Scenario {
  name: string
  writers: number
  rate: number
}

/** As in bench/fanout.ts: A one writer × 20/s, B five writers × 10/s (evenly out of phase). */
const SCENARIOS: Record<string, Scenario> = {
  A: { name: 'A', writers: 1, rate: RATE },
  B: { name: 'B', writers: 5, rate: 10 },
}

/** BENCH_AB_TIMELINE=1: our servers log at debug level, so each window shows when it compacted. */
const TIMELINE = process.env.BENCH_AB_TIMELINE === '1'

async function session(
  pool: LoadPool,
  variant: Variant,
  scenarios: Scenario[],
  seed: PreparedRoom,
): Promise<Result[]> {
  const server = variant.dir
    ? await startOurs({ ...(TIMELINE ? { LOG_LEVEL: 'debug' } : {}), ...variant.env }, variant.dir)
    : await startReference()
  const results: Result[] = []
  try {
    const room = variant.dir ? await prepareOurs(server, 0) : await prepareReference(server, seed)
    const rampStart = ns() + 200_000_000n
    await pool.connect({
      wsUrl: server.wsUrl,
      room: () => room.room,
      token: () => room.token,
      total: N,
      rampStart: String(rampStart),
      rampMs: RAMP_MS,
      waitCards: room.writerCards,
      presence: true,
    })
    let begin = ns() + 1_000_000_000n
    const afterRamp = rampStart + BigInt(RAMP_MS) * 1_000_000n + 1_000_000_000n
    if (begin < afterRamp) begin = afterRamp
    for (const scenario of scenarios) {
      pool.run(
        Array.from({ length: scenario.writers }, (_, w) => ({
          client: w,
          writer: w,
          cardId: room.writerCards[w] as string,
          rate: scenario.rate,
          count: scenario.rate * SECONDS,
          start: String(begin),
          phaseMs: (w * 1000) / scenario.rate / scenario.writers,
        })),
      )
      await sleep(Number(begin - ns()) / 1e6)
      await server.probe() // counts from here
      const compactionsBefore = server.compactions?.length ?? 0
      // Date.now() of the server's log against the monotonic clock of the samples.
      const wallOffsetMs = Date.now() - Number(ns()) / 1e6
      const metrics0 = variant.dir ? await appendMetrics(server.url) : null
      const trace = STRACE ? startStrace(server.pid) : null
      const cpu0 = cpuSeconds(server.pid)
      const load0 = pool.pids.map(cpuSeconds)
      const self0 = process.cpuUsage()
      const m0 = machineCpu()
      const t0 = performance.now()
      await sleep(Number(begin + BigInt(SECONDS * 1000 + DRAIN_MS) * 1_000_000n - ns()) / 1e6)
      const syscalls = trace ? await trace() : null
      const probe = await server.probe()
      const appends = variant.dir ? appendsBetween(metrics0, await appendMetrics(server.url)) : null
      const wall = (performance.now() - t0) / 1000
      const serverCpuS = cpuSeconds(server.pid) - cpu0
      const loadS = pool.pids.reduce((sum, pid, i) => sum + cpuSeconds(pid) - (load0[i] ?? 0), 0)
      const self = process.cpuUsage(self0)
      const busy = machineCpu().busy - m0.busy
      const otherPct = (100 * Math.max(0, busy - serverCpuS - loadS - (self.user + self.system) / 1e6)) / wall
      const samples = await pool.collect()
      const latency = summarize(samples.latencies)
      const sinceBegin = (atNs: bigint) => Number(atNs - begin) / 1e6
      const compactionsMs = (server.compactions ?? []).slice(compactionsBefore).map((line) => {
        const { time } = JSON.parse(line) as { time: number }
        return Math.round(time - wallOffsetMs - Number(begin) / 1e6)
      })
      results.push({
        dir: variant.label,
        scenario: scenario.name,
        p50: latency.p50,
        p95: latency.p95,
        p99: latency.p99,
        max: latency.max,
        delivered: samples.latencies.length,
        expected: samples.written * (N - 1),
        serverCpuS,
        otherPct,
        probe,
        appends,
        syscalls,
        compactionsMs,
        worst: samples.perUpdate
          .map(({ sentNs, maxMs }) => ({ sentMs: Math.round(sinceBegin(BigInt(sentNs))), maxMs }))
          .sort((a, b) => b.maxMs - a.maxMs)
          .slice(0, 8),
      })
      begin = ns() + 1_000_000_000n
    }
    await pool.close()
    return results
  } finally {
    await server.stop()
  }
}

/** Attaches `strace -f -c` to a process; the returned function detaches and gives the counts by call. */
function startStrace(pid: number): () => Promise<Record<string, number>> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'werkbord-strace-')), 'counts')
  const child = spawn('strace', ['-f', '-c', '-o', file, '-p', String(pid)], { stdio: 'ignore' })
  return async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGINT')
    await exited
    const counts: Record<string, number> = {}
    for (const row of fs.readFileSync(file, 'utf8').split('\n')) {
      // % time, seconds, usecs/call, calls, [errors,] syscall
      const cells = row.trim().split(/\s+/)
      const name = cells[cells.length - 1] as string
      const calls = Number(cells[3])
      if (cells.length >= 5 && /^[a-z_0-9]+$/.test(name) && Number.isFinite(calls)) counts[name] = calls
    }
    fs.rmSync(path.dirname(file), { recursive: true, force: true })
    return counts
  }
}

function line(label: string, r: Omit<Result, 'dir' | 'scenario' | 'compactionsMs' | 'worst'>): string {
  const p = r.probe
  const probe = p
    ? `loop delay p99 ${round(p.loopDelayMs.p99)} max ${round(p.loopDelayMs.max)} ms, ` +
      `GC ${p.gc.count}× ${round(p.gc.totalMs)} ms (longest ${round(p.gc.maxMs)}), ` +
      `switches ${p.voluntarySwitches}+${p.involuntarySwitches} inv., heap ${p.heapUsedMiB}/${p.heapTotalMiB} MiB, rss ${p.rssMiB}`
    : 'no probe'
  const a = r.appends
  const appends = a
    ? `; appends ${a.batches} batches (${a.updates} updates), mean ${round(a.meanMs)} ms, >5 ms ${a.over5ms}, >10 ms ${a.over10ms}, >20 ms ${a.over20ms}`
    : ''
  const top = r.syscalls
    ? `; syscalls per update: ${Object.entries(r.syscalls)
        .sort((x, y) => y[1] - x[1])
        .slice(0, 12)
        .map(([name, calls]) => `${name} ${round(calls / Math.max(1, r.appends?.updates ?? RATE * SECONDS))}`)
        .join(', ')}`
    : ''
  return (
    `${label.padEnd(10)} p50 ${round(r.p50)} p95 ${round(r.p95)} p99 ${round(r.p99)} max ${round(r.max)} ms, ` +
    `delivered ${r.delivered}/${r.expected}, server ${round(r.serverCpuS)} CPU s, other ${round(r.otherPct)} %; ${probe}${appends}${top}`
  )
}

const median = (values: number[]) => summarize(values).p50

function medianAppends(all: Appends[]): Appends | null {
  if (all.length === 0) return null
  const m = (f: (a: Appends) => number) => median(all.map(f))
  return {
    batches: m((a) => a.batches),
    updates: m((a) => a.updates),
    meanMs: m((a) => a.meanMs),
    over5ms: m((a) => a.over5ms),
    over10ms: m((a) => a.over10ms),
    over20ms: m((a) => a.over20ms),
  }
}

/** The worst updates of a window and its compactions, on one line (BENCH_AB_TIMELINE=1). */
function timeline(r: Result): string {
  const worst = r.worst.map((w) => `${round(w.maxMs)} ms at ${w.sentMs}`).join(', ')
  return `           compactions at ${r.compactionsMs.join(', ') || '–'} ms; slowest updates (took, sent at): ${worst}`
}

async function main() {
  if (DIRS.length < 2) throw new Error('BENCH_AB_DIRS=<checkout>,<checkout>[,reference] (two or more)')
  const variants = DIRS.map(variantOf)
  const scenarios = (process.env.BENCH_AB_SCENARIOS ?? 'A').split(',').map((name) => {
    const scenario = SCENARIOS[name]
    if (!scenario) throw new Error(`BENCH_AB_SCENARIOS: unknown scenario ${name} (A, B)`)
    return scenario
  })
  console.log(
    `fan-out A/B: ${variants.map((v) => v.label).join(' vs ')}, N = ${N}, scenarios ${scenarios
      .map((s) => `${s.name} (${s.writers} × ${s.rate}/s)`)
      .join(' then ')} for ${SECONDS} s each, ${ROUNDS} rounds, interleaved; load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  )
  const pool = await LoadPool.start(2)
  // The reference server's room gets the same document as ours (a board made on our server).
  const first = variants.find((v) => v.dir) as Variant
  const seedServer = await startOurs({}, first.dir as string)
  const seed = await prepareOurs(seedServer, 0).finally(() => seedServer.stop())
  const results: Result[] = []
  for (let round_ = 0; round_ < ROUNDS; round_++) {
    // Rotate the order, so that each version takes each place in turn (with two: alternate).
    const order = variants.map((_, i) => variants[(i + round_) % variants.length] as Variant)
    for (const variant of order) {
      for (const result of await session(pool, variant, scenarios, seed)) {
        results.push(result)
        console.log(line(`${variant.label} ${result.scenario}`, result))
        if (TIMELINE) console.log(timeline(result))
      }
    }
    console.log(`(round ${round_ + 1} done; load ${os.loadavg()[0]?.toFixed(2)})`)
  }
  await pool.exit()
  console.log('\nmedians:')
  for (const scenario of scenarios) {
    const reference = results.filter((r) => r.dir === 'reference' && r.scenario === scenario.name)
    const refP99 = reference.length > 0 ? median(reference.map((r) => r.p99)) : null
    const refP50 = reference.length > 0 ? median(reference.map((r) => r.p50)) : null
    for (const variant of variants) {
      const mine = results.filter((r) => r.dir === variant.label && r.scenario === scenario.name)
      const probes = mine.map((r) => r.probe).filter((p): p is ProbeFigures => p !== null)
      const pm = (f: (p: ProbeFigures) => number) => median(probes.map(f))
      const p50 = median(mine.map((r) => r.p50))
      const p99 = median(mine.map((r) => r.p99))
      const ratio =
        refP99 && refP50 ? ` (p50 ${round(p50 / refP50)}×, p99 ${round(p99 / refP99)}× the reference)` : ''
      // Per round, this variant's p99 over the reference's of the same round: the ratio noise moves less.
      const perRound =
        reference.length === mine.length && refP99
          ? mine.map((r, i) => r.p99 / (reference[i] as Result).p99)
          : []
      const rounds =
        perRound.length > 0
          ? ` per-round p99 ratios ${perRound.map((x) => round(x)).join(', ')} (median ${round(median(perRound))}×)`
          : ''
      console.log(
        line(`${variant.label} ${scenario.name}`, {
          p50,
          p95: median(mine.map((r) => r.p95)),
          p99,
          max: median(mine.map((r) => r.max)),
          delivered: median(mine.map((r) => r.delivered)),
          expected: median(mine.map((r) => r.expected)),
          serverCpuS: median(mine.map((r) => r.serverCpuS)),
          otherPct: median(mine.map((r) => r.otherPct)),
          syscalls: null,
          appends: medianAppends(mine.map((r) => r.appends).filter((x): x is Appends => x !== null)),
          probe:
            probes.length === 0
              ? null
              : {
                  ...(probes[0] as ProbeFigures),
                  loopDelayMs: {
                    p50: pm((p) => p.loopDelayMs.p50),
                    p99: pm((p) => p.loopDelayMs.p99),
                    p999: pm((p) => p.loopDelayMs.p999),
                    max: pm((p) => p.loopDelayMs.max),
                    mean: pm((p) => p.loopDelayMs.mean),
                  },
                  gc: {
                    count: pm((p) => p.gc.count),
                    totalMs: pm((p) => p.gc.totalMs),
                    maxMs: pm((p) => p.gc.maxMs),
                    byKind: {},
                  },
                  voluntarySwitches: pm((p) => p.voluntarySwitches),
                  involuntarySwitches: pm((p) => p.involuntarySwitches),
                  heapUsedMiB: pm((p) => p.heapUsedMiB),
                  heapTotalMiB: pm((p) => p.heapTotalMiB),
                  rssMiB: pm((p) => p.rssMiB),
                },
        }) +
          ratio +
          rounds,
      )
    }
  }
  console.log(
    `load at the end: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  )
}

await main()
