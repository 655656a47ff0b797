import { afterEach, describe, expect, it } from 'vitest'
import { connectClient, type TestClient } from '../helpers/clients.js'
import type { Random } from '../helpers/random-ops.js'
import { type ChildServer, createBoard, startChildServer, tempDir } from '../helpers/server.js'
import { untilDoc } from '../helpers/wait.js'
import { assertConverges, Fleet, missingFrom, random } from './fleet.js'

/**
 * Crash safety under load: 50 stock clients (in this process) edit one board through a server in its
 * own process, which is killed at seeded random moments and restarted on the same data folder and port.
 * The clients edit on while it is down; their providers reconnect by themselves.
 */
const CLIENTS = 50
const EDIT_EVERY_MS = 10 // one change every 10 ms across the fleet: 100 updates/s, fanned out to 50

const servers: ChildServer[] = []
const cleanup: (() => void)[] = []
afterEach(async () => {
  for (const fn of cleanup.splice(0)) fn()
  for (const s of servers.splice(0)) {
    if (s.process.exitCode === null && s.process.signalCode === null) s.process.kill('SIGKILL')
    await s.exited
  }
})

async function start(dataDir: string, port?: string): Promise<ChildServer> {
  const server = await startChildServer(dataDir, port ? { PORT: port } : {})
  servers.push(server)
  return server
}

function client(url: string, boardId: string, token: string): TestClient {
  const c = connectClient(url, boardId, token)
  cleanup.push(() => c.destroy())
  return c
}

/** Resolves after `count` updates from the server have reached `watcher`, calling `then` on the last. */
function afterRemoteUpdates(watcher: TestClient, count: number, then: () => void): Promise<void> {
  let seen = 0
  return untilDoc(
    watcher.doc,
    () => {
      if (++seen < count) return false
      then()
      return true
    },
    20_000,
    `${count} updates`,
  )
}

/**
 * Checks what the server holds right after a restart, before any editing client is back (they would
 * resend what it lost and hide the loss): a fresh reader must find everything any client had received.
 */
async function assertNothingReceivedIsLost(
  server: ChildServer,
  boardId: string,
  token: string,
  received: { cards: Set<string>; tokens: Set<string> },
): Promise<void> {
  const reader = connectClient(server.url, boardId, token)
  try {
    await reader.synced
    expect(missingFrom(reader.doc, received)).toEqual([])
  } finally {
    reader.destroy()
  }
}

/** A server on a fresh data folder, a board on it, and CLIENTS clients editing it while an observer watches. */
async function editingBoard(rnd: Random) {
  const dataDir = tempDir()
  const server = await start(dataDir)
  const port = new URL(server.url).port
  const board = await createBoard(server.url, 'blank')
  const fleet = new Fleet(server.url, board.id, board.tokens.facilitator, CLIENTS, rnd)
  cleanup.push(() => fleet.destroy())
  const watcher = client(server.url, board.id, board.tokens.observer)
  await Promise.all([fleet.synced(), watcher.synced])
  fleet.start(EDIT_EVERY_MS)
  return { dataDir, server, port, board, fleet, watcher }
}

describe('crash safety', () => {
  const SEED = 6_2026
  // Every wait inside is for an event; the budget is for the whole: 20 restarts of a server process
  // (each compiles its TypeScript, 1–2 s) and 50 clients catching up each time — about 50 s on a quiet
  // 2-core machine, and 2–3 times that when other work shares it (a run beside benchmarks took > 120 s).
  it(`[C1] SIGKILL at 20 seeded moments under ${CLIENTS} editing clients: nothing received is lost (seed ${SEED})`, {
    timeout: 300_000,
  }, async () => {
    const rnd = random(SEED)
    const { dataDir, port, board, fleet, watcher, ...first } = await editingBoard(rnd)
    let server = first.server

    for (let kill = 0; kill < 20; kill++) {
      // A seeded moment: after 1–60 updates have reached the watcher since everyone was back in sync.
      const killed = server.exited
      const victim = server
      await afterRemoteUpdates(watcher, 1 + rnd.int(60), () => victim.process.kill('SIGKILL'))
      expect(await killed).toEqual({ code: null, signal: 'SIGKILL' })
      await fleet.disconnected()
      // Hold the clients back (they keep editing offline) so the restarted server is checked alone.
      for (const c of [...fleet.clients, watcher]) c.provider.disconnect()
      const received = fleet.received()
      server = await start(dataDir, port)
      await assertNothingReceivedIsLost(server, board.id, board.tokens.observer, received)
      for (const c of [...fleet.clients, watcher]) c.provider.connect()
      await Promise.all([fleet.synced(), watcher.synced])
    }
    await assertConverges(fleet, 20_000)
  })

  it('[C2] SIGTERM under load: everyone is told 1001, the process exits 0, nothing is lost', {
    timeout: 60_000,
  }, async () => {
    const rnd = random(SEED + 1)
    const { dataDir, port, board, fleet, watcher, ...first } = await editingBoard(rnd)
    let server = first.server

    for (let stop = 0; stop < 3; stop++) {
      const codes = fleet.clients.map(
        (c) =>
          new Promise<number | undefined>((resolve) =>
            c.provider.once('connection-close', (event: CloseEvent | null) => resolve(event?.code)),
          ),
      )
      const exited = server.exited
      const victim = server
      await afterRemoteUpdates(watcher, 1 + rnd.int(60), () => victim.process.kill('SIGTERM'))
      expect(await exited).toEqual({ code: 0, signal: null })
      expect(new Set(await Promise.all(codes))).toEqual(new Set([1001]))
      await fleet.disconnected()
      for (const c of [...fleet.clients, watcher]) c.provider.disconnect()
      const received = fleet.received()
      server = await start(dataDir, port)
      await assertNothingReceivedIsLost(server, board.id, board.tokens.observer, received)
      for (const c of [...fleet.clients, watcher]) c.provider.connect()
      await Promise.all([fleet.synced(), watcher.synced])
    }
    await assertConverges(fleet, 20_000)
  })
})
