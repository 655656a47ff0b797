import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { checkoutLabel } from './lib/checkout.js'
import { round, summarize } from './lib/proc.js'

const DIRS = (process.env.BENCH_AB_DIRS ?? '').split(',').filter(Boolean)
const APPENDS = Number(process.env.BENCH_APPENDS ?? 600)
const GAP_MS = Number(process.env.BENCH_APPEND_GAP_MS ?? 50)

/** mxFrame of the wal-index header (the -shm file, native byte order): frames written since the WAL started over. */
function walFrames(shm: string): number {
  const fd = fs.openSync(shm, 'r')
  try {
    const header = Buffer.alloc(48)
    fs.readSync(fd, header, 0, 48, 0)
    return os.endianness() === 'LE' ? header.readUInt32LE(16) : header.readUInt32BE(16)
  } finally {
    fs.closeSync(fd)
  }
}

interface Store {
  createBoard(
    board: {
      id: string
      createdAt: number
      tokenHashes: { facilitator: string; participant: string; observer: string }
    },
    initial: Uint8Array,
  ): Promise<void>
  append(entries: { boardId: string; update: Uint8Array }[]): Promise<number[]>
  close(): Promise<void>
}

interface Version {
  label: string
  store: Store
  dataDir: string
  shm: string
  latencies: number[]
  frames: number[]
  /** Appends after which the WAL held fewer frames than before: a checkpoint had started it over. */
  restarts: number
  /** How long the appends that ran a checkpoint took (ms). */
  checkpointMs: number[]
  lastFrames: number
}

async function open(dir: string): Promise<Version> {
  // The store module's path moved (server/sqlite-store.ts, then server/storage/sqlite-store.ts).
  const file = ['server/storage/sqlite-store.ts', 'server/sqlite-store.ts']
    .map((f) => path.join(dir, f))
    .find((f) => fs.existsSync(f))
  if (!file) throw new Error(`no SQLite store in ${dir}`)
  const { SqliteStore } = (await import(pathToFileURL(file).href)) as {
    SqliteStore: { open(dataDir: string): Store }
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'werkbord-append-ab-'))
  const store = SqliteStore.open(dataDir)
  await store.createBoard(
    {
      id: 'board',
      createdAt: Date.now(),
      tokenHashes: { facilitator: 'f', participant: 'p', observer: 'o' },
    },
    new Uint8Array(2000),
  )
  const shm = path.join(dataDir, 'werkbord.sqlite-shm')
  return {
    label: checkoutLabel(dir, ['server']),
    store,
    dataDir,
    shm,
    latencies: [],
    frames: [],
    restarts: 0,
    checkpointMs: [],
    lastFrames: walFrames(shm),
  }
}

/** A typing update's size: about 60–90 bytes. */
function update(i: number): Uint8Array {
  const bytes = new Uint8Array(60 + (i % 30))
  for (let j = 0; j < bytes.length; j++) bytes[j] = (i * 31 + j) % 251
  return bytes
}

async function main() {
  if (DIRS.length < 2) throw new Error('BENCH_AB_DIRS=<checkout>,<checkout>')
  const versions: Version[] = []
  for (const dir of DIRS) versions.push(await open(dir))
  console.log(
    `durable append A/B: ${versions.map((v) => v.label).join(' vs ')}; ${APPENDS} appends each, one every ${GAP_MS} ms per version, interleaved`,
  )
  for (let i = 0; i < APPENDS; i++) {
    const order = i % 2 === 0 ? versions : [...versions].reverse()
    for (const v of order) {
      const t0 = performance.now()
      await v.store.append([{ boardId: 'board', update: update(i) }])
      v.latencies.push(performance.now() - t0)
      // Frames in the WAL (the wal-index header's mxFrame); fewer than before: it started over
      // after a checkpoint.
      const frames = walFrames(v.shm)
      if (frames < v.lastFrames) {
        v.restarts++
        // The append before this one ran the checkpoint (SQLite's auto-checkpoint, after its commit).
        v.checkpointMs.push(v.latencies[v.latencies.length - 2] ?? Number.NaN)
      } else v.frames.push(frames - v.lastFrames)
      v.lastFrames = frames
    }
    await new Promise((resolve) => setTimeout(resolve, GAP_MS / versions.length))
  }
  for (const v of versions) {
    const s = summarize(v.latencies)
    const frames = summarize(v.frames)
    console.log(
      `${v.label.padEnd(10)} append p50 ${round(s.p50)} p95 ${round(s.p95)} p99 ${round(s.p99)} max ${round(s.max)} ms, mean ${round(s.mean)}; ` +
        `WAL pages per append ${round(frames.mean)}; WAL started over after a checkpoint ${v.restarts}× (the appends that ran it: ${v.checkpointMs.map(round).join(', ')} ms)`,
    )
    await v.store.close()
    fs.rmSync(v.dataDir, { recursive: true, force: true })
  }
}

await main()
