/**
 * `npx tsx bench/exports.ts`: what four concurrent DOCX exports of a 4,000-card board do to everyone
 * else on the server. Prints the latency of `GET /healthz` and of relaying an edit from one stock client
 * to another, idle and while the exports run, the exports' own durations and the server's peak RSS.
 * Compare two versions with BENCH_OURS_DIR=<other checkout> (see README.md).
 *
 * BENCH_EXPORT_CARDS (default 4000) and BENCH_EXPORTS (default 4) change the load.
 */
import fs from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import type * as Y from 'yjs'
import { setText } from '../model/cards.js'
import { stockClient } from './lib/clients.js'
import { createBoard, oursVersion, startOurs } from './lib/servers.js'

const CARDS = Number(process.env.BENCH_EXPORT_CARDS ?? 4000)
const EXPORTS = Number(process.env.BENCH_EXPORTS ?? 4)

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
  const round = (n: number) => Math.round(n * 10) / 10
  return {
    n: sorted.length,
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    max: round(sorted.at(-1) ?? Number.NaN),
  }
}

function rssMiB(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024)
  } catch {
    return Number.NaN
  }
}

async function healthMs(url: string): Promise<number> {
  const started = performance.now()
  const res = await fetch(`${url}/healthz`)
  await res.arrayBuffer()
  return performance.now() - started
}

/** The server's event-loop delay since the last scrape (`/metrics`, from this machine), in ms. */
async function loopDelay(url: string): Promise<{ p99: number; max: number }> {
  const text = await (await fetch(`${url}/metrics`)).text()
  const value = (name: string) =>
    Math.round(
      Number(
        new RegExp(`^werkbord_process_nodejs_eventloop_lag_${name}_seconds (\\S+)$`, 'm').exec(text)?.[1],
      ) * 1000,
    )
  return { p99: value('p99'), max: value('max') }
}

async function main(): Promise<void> {
  const server = await startOurs()
  console.log(`server: ${oursVersion()}; ${CARDS} cards, ${EXPORTS} concurrent DOCX exports`)
  try {
    const board = await createBoard(server.url, 'blank', 'Exportbenchmark')
    const cards = Array.from({ length: CARDS }, (_, i) => ({
      fields: {
        actie: `Actie ${i + 1}: regionale samenwerking versterken`,
        doel: `Beoogd resultaat van actie ${i + 1}. `.repeat(6),
        partijen: ['Gemeente', 'Provincie', 'Woningcorporaties'],
        planning: { kort: 'Inventarisatie', lang: 'Uitvoering' },
      },
    }))
    const imported = await fetch(`${server.url}/api/boards/${board.id}/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${board.tokens.facilitator}` },
      body: JSON.stringify(cards),
    })
    if (imported.status !== 200) throw new Error(`import: ${imported.status} ${await imported.text()}`)

    const a = stockClient(server.wsUrl, board.id, board.tokens.participant)
    const b = stockClient(server.wsUrl, board.id, board.tokens.participant)
    await Promise.all([a.ready(), b.ready()])
    const cardId = [...a.doc.getMap('cards').keys()][0] as string
    let edit = 0
    /** Time from an edit on A to its arrival on B. */
    const relayMs = async (): Promise<number> => {
      const value = `bewerking ${++edit}`
      const card = b.doc.getMap('cards').get(cardId) as Y.Map<unknown>
      const arrived = new Promise<void>((resolve) => {
        const check = () => {
          if (String(card.get('actie')) === value) {
            b.doc.off('update', check)
            resolve()
          }
        }
        b.doc.on('update', check)
      })
      const started = performance.now()
      setText(a.doc, cardId, 'actie', value)
      await arrived
      return performance.now() - started
    }

    const idleHealth: number[] = []
    const idleRelay: number[] = []
    for (let i = 0; i < 20; i++) {
      idleHealth.push(await healthMs(server.url))
      idleRelay.push(await relayMs())
      await sleep(20)
    }

    // The server's own event-loop delay (prom-client resets its histogram at every scrape): scraped once
    // now, and again when the exports are done, it covers exactly the time they ran.
    await loopDelay(server.url)
    const busyHealth: number[] = []
    const busyRelay: number[] = []
    let peakRss = rssMiB(server.pid)
    let running = EXPORTS
    const started = performance.now()
    const exports = Array.from({ length: EXPORTS }, async () => {
      const res = await fetch(`${server.url}/api/boards/${board.id}/export?format=docx&lane=all`, {
        headers: { authorization: `Bearer ${board.tokens.observer}` },
      })
      const bytes = (await res.arrayBuffer()).byteLength
      running--
      return { status: res.status, bytes, ms: performance.now() - started }
    })
    const probing = (async () => {
      while (running > 0) {
        const [health, relay] = await Promise.all([healthMs(server.url), relayMs()])
        if (running > 0) {
          busyHealth.push(health)
          busyRelay.push(relay)
        }
        peakRss = Math.max(peakRss, rssMiB(server.pid))
        await sleep(50)
      }
    })()
    const results = await Promise.all(exports)
    await probing
    const serverLoop = await loopDelay(server.url)

    const figures = {
      version: oursVersion(),
      cards: CARDS,
      exports: EXPORTS,
      idle: { healthzMs: stats(idleHealth), relayMs: stats(idleRelay) },
      duringExports: {
        healthzMs: stats(busyHealth),
        relayMs: stats(busyRelay),
        serverEventLoopDelayMs: serverLoop,
      },
      exportsDoneMs: results.map((r) => Math.round(r.ms)),
      exportStatus: results.map((r) => r.status),
      exportMiB: results.map((r) => Math.round((r.bytes / 2 ** 20) * 10) / 10),
      peakRssMiB: peakRss,
    }
    console.log(JSON.stringify(figures, null, 2))
    await Promise.all([a.destroy(), b.destroy()])
  } finally {
    await server.stop()
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
