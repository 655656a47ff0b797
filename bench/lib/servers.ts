/**
 * The two servers under test, each started as its own child process on a loopback port:
 * - ours: `node --import tsx server/main.ts` with a fresh data folder (durable SQLite, as in production);
 * - the reference: `@y/websocket-server` 0.1.1's own `y-websocket-server` bin, unmodified, in memory.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { projectRoot } from '../../server/paths.js'

export type ServerKind = 'ours' | 'reference'

export interface BenchServer {
  kind: ServerKind
  /** HTTP base URL (ours: API and /healthz; the reference answers "okay" to any request). */
  url: string
  /** What to hand to `new WebsocketProvider(serverUrl, room, …)`. */
  wsUrl: string
  pid: number
  dataDir: string | null
  /**
   * With the in-process probe (server-probe.mjs): its figures since the previous call (or the start),
   * counting anew from now. Null when the server runs without it.
   */
  probe(): Promise<ProbeFigures | null>
  /** SIGTERM, then waits for the exit (SIGKILL after 10 s); removes the data folder. */
  stop(): Promise<void>
  /** Ours: the log lines (JSON) of compactions, as they came (written at LOG_LEVEL=debug only). */
  compactions?: string[]
}

/** What server-probe.mjs measured inside a server over one span (see there). */
export interface ProbeFigures {
  seconds: number
  loopDelayMs: { p50: number; p99: number; p999: number; max: number; mean: number }
  gc: {
    count: number
    totalMs: number
    maxMs: number
    byKind: Record<string, { count: number; totalMs: number; maxMs: number }>
  }
  cpuS: number
  voluntarySwitches: number
  involuntarySwitches: number
  heapUsedMiB: number
  heapTotalMiB: number
  externalMiB: number
  rssMiB: number
}

/**
 * Whether servers get the probe: on unless BENCH_PROBE=0 (bench/memory.ts turns it off: its figures
 * are the servers' memory as they are).
 */
const probeOn = () => process.env.BENCH_PROBE !== '0'

/** Node arguments and environment that load server-probe.mjs into a server, writing to `file`. */
function probeSetup(file: string | null): { args: string[]; env: Record<string, string> } {
  if (!file) return { args: [], env: {} }
  const probe = path.join(projectRoot, 'bench/lib/server-probe.mjs')
  return { args: ['--import', pathToFileURL(probe).href], env: { BENCH_PROBE_OUT: file } }
}

/** Asks the server for its probe figures (SIGUSR2) and waits for the line it appends to `file`. */
function prober(child: ChildProcess, file: string | null): () => Promise<ProbeFigures | null> {
  let lines = 0
  return async () => {
    if (!file || child.exitCode !== null) return null
    child.kill('SIGUSR2')
    const end = performance.now() + 10_000
    for (;;) {
      const all = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : []
      if (all.length > lines) {
        lines = all.length
        return JSON.parse(all[all.length - 1] as string) as ProbeFigures
      }
      if (performance.now() > end) return null
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
}

function waitForLine(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let head = ''
    let found = false
    const timer = setTimeout(() => reject(new Error(`${what} did not start in 30 s:\n${head}`)), 30_000)
    const onData = (chunk: Buffer) => {
      if (found) return // keep draining the pipe, without keeping the log
      head = (head + chunk.toString()).slice(-20_000)
      const match = pattern.exec(head)
      if (match) {
        found = true
        clearTimeout(timer)
        resolve(match)
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (chunk: Buffer) => {
      head = (head + chunk.toString()).slice(-20_000)
      if (found) process.stderr.write(`[${what}] ${chunk}`)
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      if (!found) reject(new Error(`${what} exited (${code ?? signal}) before listening:\n${head}`))
    })
  })
}

/** BENCH_PROFILE_DIR=<dir>: each server writes a V8 CPU profile there when it stops (for diagnosis). */
function profileArgs(): string[] {
  const dir = process.env.BENCH_PROFILE_DIR
  // V8 writes the profile on a normal exit only: a process without a SIGTERM handler gets one.
  const exitOnTerm =
    "data:text/javascript,if(!process.listenerCount('SIGTERM'))process.on('SIGTERM',()=>process.exit(0))"
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(dir)}`, '--import', exitOnTerm] : []
}

/** Servers still running: killed (and their data removed) if the benchmark dies, so none is left behind. */
const running = new Map<ChildProcess, () => void>()
process.on('exit', () => {
  for (const [child, cleanup] of running) {
    child.kill('SIGKILL')
    cleanup()
  }
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => process.exit(130))
}

function stopper(child: ChildProcess, cleanup: () => void): () => Promise<void> {
  running.set(child, cleanup)
  child.once('exit', () => running.delete(child))
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve()
    else child.once('exit', () => resolve())
  })
  return async () => {
    child.kill('SIGTERM')
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(kill)
    cleanup()
  }
}

/**
 * Where our server's source is: this checkout, or `BENCH_OURS_DIR` (another checkout with the same
 * layout and its own node_modules, e.g. to compare two versions).
 */
export const oursRoot = process.env.BENCH_OURS_DIR ? path.resolve(process.env.BENCH_OURS_DIR) : projectRoot

/** Which version of our server runs: the commit of `oursRoot`, and whether its server/ has local changes. */
export function oursVersion(): string {
  try {
    const git = (args: string[]) =>
      execFileSync('git', args, {
        cwd: oursRoot,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim()
    const dirty = git(['status', '--porcelain', '--', 'server', 'model']) !== ''
    return `${git(['rev-parse', '--short', 'HEAD'])}${dirty ? ' + local changes in server/ or model/' : ''}`
  } catch {
    return oursRoot
  }
}

/** Our server, from source, with durable persistence in a new temporary data folder. */
export async function startOurs(env: Record<string, string> = {}, root = oursRoot): Promise<BenchServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'werkbord-bench-server-'))
  const probeFile = probeOn() ? path.join(dataDir, 'probe.jsonl') : null
  const probe = probeSetup(probeFile)
  const child = spawn(
    process.execPath,
    [...profileArgs(), ...probe.args, '--import', 'tsx', path.join(root, 'server/main.ts')],
    {
      cwd: root,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
        // All clients of a benchmark come from one address: the per-address limits would cut them off.
        SOCKETS_PER_IP: '0',
        BOARDS_PER_HOUR: '0',
        // Boards may be created through a proxy in front of it (the cluster benchmark's nginx).
        BOARD_CREATE_TOKEN: BENCH_CREATE_TOKEN,
        ...probe.env,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  const compactions: string[] = []
  let partial = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n')
    partial = lines.pop() ?? ''
    for (const line of lines) if (line.includes('"msg":"compacted"')) compactions.push(line)
  })
  const match = await waitForLine(child, /Werkbord listening on (http:\/\/\S+?)"/, 'our server')
  const url = match[1] as string
  return {
    compactions,
    kind: 'ours',
    url,
    wsUrl: `${url.replace(/^http/, 'ws')}/sync`,
    pid: child.pid as number,
    dataDir,
    probe: prober(child, probeFile),
    stop: stopper(child, () => fs.rmSync(dataDir, { recursive: true, force: true })),
  }
}

async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** `@y/websocket-server` 0.1.1 exactly as its README starts it (`HOST=… PORT=… npx y-websocket`). */
export async function startReference(): Promise<BenchServer> {
  const require = createRequire(import.meta.url)
  const pkgFile = require.resolve('@y/websocket-server/package.json')
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { version: string; bin: Record<string, string> }
  const bin = path.join(path.dirname(pkgFile), pkg.bin['y-websocket-server'] as string)
  const port = await freePort()
  const probeDir = probeOn() ? fs.mkdtempSync(path.join(os.tmpdir(), 'werkbord-bench-reference-')) : null
  const probeFile = probeDir ? path.join(probeDir, 'probe.jsonl') : null
  const probe = probeSetup(probeFile)
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...probe.env }
  delete env.YPERSISTENCE // in memory, as in the reference figures
  const child = spawn(process.execPath, [...profileArgs(), ...probe.args, bin], {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  await waitForLine(child, /running at '127\.0\.0\.1' on port (\d+)/, `@y/websocket-server ${pkg.version}`)
  // It logs the port it was given; make sure it is really ours to talk to.
  const res = await fetch(`http://127.0.0.1:${port}/`)
  if ((await res.text()) !== 'okay') throw new Error('reference server: unexpected answer')
  return {
    kind: 'reference',
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    pid: child.pid as number,
    dataDir: null,
    probe: prober(child, probeFile),
    stop: stopper(child, () => {
      if (probeDir) fs.rmSync(probeDir, { recursive: true, force: true })
    }),
  }
}

export function referenceVersion(): string {
  const require = createRequire(import.meta.url)
  return (
    JSON.parse(fs.readFileSync(require.resolve('@y/websocket-server/package.json'), 'utf8')) as {
      version: string
    }
  ).version
}

export interface Board {
  id: string
  tokens: { facilitator: string; participant: string; observer: string }
}

/** The board-creation token our benchmark servers are started with. */
const BENCH_CREATE_TOKEN = 'benchmark-board-creation'

/** `POST /api/boards` on our server. */
export async function createBoard(url: string, template: string, title = 'Benchmark'): Promise<Board> {
  const res = await fetch(`${url}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_CREATE_TOKEN}` },
    body: JSON.stringify({ template, title }),
  })
  if (res.status !== 201) throw new Error(`create board: ${res.status} ${await res.text()}`)
  return (await res.json()) as Board
}

/** Our `/healthz`: rooms loaded and open connections. */
export async function health(url: string): Promise<{ rooms: number; connections: number }> {
  const res = await fetch(`${url}/healthz`)
  return (await res.json()) as { rooms: number; connections: number }
}

/** Polls `check` every 50 ms until it holds; throws after `ms`. */
export async function until(
  check: () => Promise<boolean> | boolean,
  ms: number,
  what: string,
): Promise<void> {
  const end = performance.now() + ms
  while (!(await check())) {
    if (performance.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
