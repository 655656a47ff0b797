/**
 * Process figures from /proc (Linux): CPU seconds of a process, its resident memory now and at peak,
 * and the busy share of the whole machine, so a benchmark can show who used the cores.
 */
import fs from 'node:fs'

/** Clock ticks per second of /proc/<pid>/stat (`getconf CLK_TCK`; 100 on every Linux we run on). */
const TICKS = 100

/** User + system CPU seconds a process has used so far (0 when it is gone). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / TICKS // utime, stime (fields 14 and 15)
  } catch {
    return 0
  }
}

/** Resident set size now (`VmRSS`) and at peak over the process's life (`VmHWM`), in MiB. */
export function memory(pid: number): { rssMiB: number; peakRssMiB: number } {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
    const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0)
    return { rssMiB: kib('VmRSS') / 1024, peakRssMiB: kib('VmHWM') / 1024 }
  } catch {
    return { rssMiB: 0, peakRssMiB: 0 }
  }
}

/** Busy and total CPU time of the whole machine (all cores), in seconds, from /proc/stat. */
export function machineCpu(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] as string
  const values = line.trim().split(/\s+/).slice(1).map(Number)
  const total = values.slice(0, 8).reduce((a, b) => a + b, 0) // up to steal; guest is inside user
  const idle = (values[3] ?? 0) + (values[4] ?? 0) // idle + iowait
  return { busy: (total - idle) / TICKS, total: total / TICKS }
}

/** Samples the RSS of some processes every `everyMs`, so peaks within a time window can be read. */
export class RssSampler {
  private readonly samples = new Map<number, { at: number; rss: number }[]>()
  private readonly timer: NodeJS.Timeout

  constructor(pids: number[], everyMs = 100) {
    for (const pid of pids) this.samples.set(pid, [])
    this.timer = setInterval(() => this.sample(), everyMs)
    this.timer.unref()
    this.sample()
  }

  private sample(): void {
    const at = performance.now()
    for (const [pid, list] of this.samples) list.push({ at, rss: memory(pid).rssMiB })
  }

  /** Largest RSS (MiB) of `pid` sampled between two `performance.now()` times. */
  peak(pid: number, from: number, to: number): number {
    let max = 0
    for (const { at, rss } of this.samples.get(pid) ?? [])
      if (at >= from && at <= to) max = Math.max(max, rss)
    return max
  }

  stop(): void {
    clearInterval(this.timer)
  }
}

/** Percentiles (nearest rank) and max of a list of numbers; NaN when it is empty. */
export function summarize(values: number[]): {
  count: number
  p50: number
  p95: number
  p99: number
  max: number
  mean: number
} {
  const sorted = Float64Array.from(values).sort()
  const at = (q: number) =>
    sorted.length ? (sorted[Math.ceil(q * sorted.length) - 1] as number) : Number.NaN
  const mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : Number.NaN
  return {
    count: sorted.length,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: sorted.length ? (sorted[sorted.length - 1] as number) : Number.NaN,
    mean,
  }
}

/** Rounds for printing and JSON: 1 decimal below 100, whole numbers above. */
export function round(value: number): number {
  if (!Number.isFinite(value)) return value
  return Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 10) / 10
}

/** CPU used by processes other than `own` (and this one) over `ms`, in % of one core. */
export async function otherCpuPct(own: number[], ms = 1000): Promise<number> {
  const self0 = process.cpuUsage()
  const own0 = own.map(cpuSeconds)
  const m0 = machineCpu()
  const t0 = performance.now()
  await new Promise((resolve) => setTimeout(resolve, ms))
  const self = process.cpuUsage(self0)
  const ownUsed = own.reduce((sum, pid, i) => sum + cpuSeconds(pid) - (own0[i] ?? 0), 0)
  const busy = machineCpu().busy - m0.busy
  const wall = (performance.now() - t0) / 1000
  return round((100 * Math.max(0, busy - ownUsed - (self.user + self.system) / 1e6)) / wall)
}

/**
 * Waits (up to `maxMs`) until other processes leave the cores alone: less than `limitPct` of one core
 * over a second. Benchmarks on a shared machine otherwise measure someone else's work.
 */
export async function waitForQuiet(own: number[], limitPct: number, maxMs = 60_000): Promise<number> {
  const end = performance.now() + maxMs
  let other = await otherCpuPct(own)
  let told = false
  while (other > limitPct && performance.now() < end) {
    if (!told) console.log(`  (other processes use ${other} % of a core; waiting up to ${maxMs / 1000} s)`)
    told = true
    await new Promise((resolve) => setTimeout(resolve, 2000))
    other = await otherCpuPct(own)
  }
  return other
}
