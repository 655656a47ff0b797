/**
 * Preloaded into a benchmarked server (`node --import <this file> …`, see servers.ts) when
 * `BENCH_PROBE_OUT` names a file. It measures, inside the server process, what the clients' latency
 * cannot tell apart: event-loop delay (perf_hooks.monitorEventLoopDelay, 1 ms resolution), garbage
 * collection pauses (count, total, longest, per kind), the process's CPU time, context switches, and
 * heap. Each SIGUSR2 appends one JSON line with the figures since the previous SIGUSR2 (or the start)
 * and starts counting again: the benchmark sends one at the start of a window and one at its end.
 * With `BENCH_PROBE_PROFILE=<dir>`, a V8 CPU profile of each such span is written there as well
 * (started and stopped in process through node:inspector, so only the window is profiled).
 * Plain JavaScript, so it loads into the reference server too (no TypeScript loader there).
 */
import fs from 'node:fs'
import inspector from 'node:inspector'
import path from 'node:path'
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks'

const out = process.env.BENCH_PROBE_OUT
const profileDir = process.env.BENCH_PROBE_PROFILE
const GC_KINDS = {
  1: 'scavenge',
  2: 'markSweepCompact',
  4: 'incremental',
  8: 'weakCallbacks',
  16: 'minorMarkSweep',
}

if (out) {
  const delay = monitorEventLoopDelay({ resolution: 1 })
  delay.enable()
  let gc = []
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      gc.push({ kind: entry.detail?.kind ?? entry.kind, ms: entry.duration })
  }).observe({ entryTypes: ['gc'] })
  let since = { at: performance.now(), cpu: process.cpuUsage(), usage: process.resourceUsage() }
  let span = 0
  const session = profileDir ? new inspector.Session() : null
  if (session) {
    session.connect()
    session.post('Profiler.enable')
    session.post('Profiler.setSamplingInterval', { interval: 200 })
    session.post('Profiler.start')
  }
  process.on('SIGUSR2', () => {
    const now = { at: performance.now(), cpu: process.cpuUsage(), usage: process.resourceUsage() }
    const ms = (ns) => Math.round(ns / 1e4) / 100
    const byKind = {}
    for (const { kind, ms: d } of gc) {
      const name = GC_KINDS[kind] ?? String(kind)
      byKind[name] ??= { count: 0, totalMs: 0, maxMs: 0 }
      const k = byKind[name]
      k.count++
      k.totalMs = Math.round((k.totalMs + d) * 100) / 100
      k.maxMs = Math.max(k.maxMs, Math.round(d * 100) / 100)
    }
    const memory = process.memoryUsage()
    const line = {
      span: span++,
      seconds: Math.round(now.at - since.at) / 1000,
      loopDelayMs: {
        p50: ms(delay.percentile(50)),
        p99: ms(delay.percentile(99)),
        p999: ms(delay.percentile(99.9)),
        max: ms(delay.max),
        mean: ms(delay.mean),
      },
      gc: {
        count: gc.length,
        totalMs: Math.round(gc.reduce((s, g) => s + g.ms, 0) * 100) / 100,
        maxMs: Math.round(Math.max(0, ...gc.map((g) => g.ms)) * 100) / 100,
        byKind,
      },
      cpuS: (now.cpu.user - since.cpu.user + now.cpu.system - since.cpu.system) / 1e6,
      voluntarySwitches: now.usage.voluntaryContextSwitches - since.usage.voluntaryContextSwitches,
      involuntarySwitches: now.usage.involuntaryContextSwitches - since.usage.involuntaryContextSwitches,
      heapUsedMiB: Math.round(memory.heapUsed / 2 ** 20),
      heapTotalMiB: Math.round(memory.heapTotal / 2 ** 20),
      externalMiB: Math.round(memory.external / 2 ** 20),
      rssMiB: Math.round(memory.rss / 2 ** 20),
    }
    fs.appendFileSync(out, `${JSON.stringify(line)}\n`)
    delay.reset()
    gc = []
    since = now
    if (session) {
      const index = line.span
      session.post('Profiler.stop', (error, result) => {
        if (!error) {
          const file = path.join(profileDir, `probe-${process.pid}-${index}.cpuprofile`)
          fs.writeFileSync(file, JSON.stringify(result.profile))
        }
        session.post('Profiler.start')
      })
    }
  })
}
