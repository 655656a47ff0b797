/**
 * Browser figures (printed, and written to bench/results/browser.json), in Debian's Chromium:
 *   - what the list view loads: its JavaScript raw, gzip and brotli, and the bytes that went over the wire;
 *   - joining on a phone over slow 4G (1.6 Mbit/s, 150 ms, 4× CPU slowdown): the join screen, then the board;
 *   - what a remote edit costs: the list view's main-thread busy time while 5 stock y-websocket clients
 *     type (25 updates/s), on a laptop and on a phone-class CPU (4× slowdown), and how many cards
 *     the page touched per update;
 *   - time to first render and to interactive of boards with 100, 300 and 1,000 cards (list view, canvas).
 * Needs a build (`npm run build`). Run with `npm run bench`, or alone: `npx tsx bench/browser.ts`;
 * `BENCH_BROWSER=sizes,slow4g,typing,render` picks parts.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import type * as Y from 'yjs'
import { startApp } from '../server/app.js'
import { loadConfig } from '../server/config.js'
import { createLogger } from '../server/log.js'
import { projectRoot } from '../server/paths.js'
import { firstCards, stockClient } from './lib/clients.js'
import { facePainted, markFirstFace } from './lib/first-face.js'
import { machineSettled } from './lib/settle.js'
import { benchText } from './lib/text.js'

const PARTS = new Set((process.env.BENCH_BROWSER ?? 'sizes,slow4g,typing,render').split(','))
const SIZES = [100, 300, 1000]
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'werkbord-bench-browser-'))
// CLIENT_DIR: another build of the client (e.g. an older commit's, to compare), served by this server.
const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', CLIENT_DIR: process.env.CLIENT_DIR ?? '' })
const app = await startApp({ ...config, dataDir }, createLogger('silent'))
const wsUrl = `${app.url.replace('http', 'ws')}/sync`

const text = (n: number, seed: number) => benchText(n, seed, 5)

interface Board {
  id: string
  tokens: { facilitator: string; participant: string; observer: string }
}

async function createBoard(template: string, title: string): Promise<Board> {
  const res = await fetch(`${app.url}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ template, title }),
  })
  return (await res.json()) as Board
}

async function boardWith(cards: number): Promise<Board> {
  const board = await createBoard('blank', `${cards} kaarten`)
  const list = Array.from({ length: cards }, (_, i) => ({
    fields: {
      actie: text(50 + (i % 150), i),
      doel: text(100 + (i % 100), i + 1),
      planning: { kort: text(60, i + 2), lang: text(60, i + 3) },
      partijen: [text(20, i + 4), text(25, i + 5)],
    },
  }))
  const imported = await fetch(`${app.url}/api/boards/${board.id}/import`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${board.tokens.facilitator}` },
    body: JSON.stringify(list),
  })
  if (!imported.ok) throw new Error(await imported.text())
  return board
}

const link = (board: Board, role: keyof Board['tokens'] = 'facilitator') =>
  `${app.url}/b/${board.id}?token=${board.tokens[role]}`

const browser: Browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
})

async function newPage(
  viewport: { width: number; height: number },
  name: string | null,
  view: 'list' | 'canvas',
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport })
  await context.addInitScript(
    ([userName, chosen]) => {
      if (userName) localStorage.setItem('werkbord.name', userName)
      localStorage.setItem('werkbord.view', chosen as string)
    },
    [name, view],
  )
  const page = await context.newPage()
  // The new context's processes start first: the page loads in a browser that is running (lib/settle.ts).
  await machineSettled()
  return { context, page }
}

/** A card face or card in either view (the list view and the canvas both mark cards so). */
const CARD = 'article[data-card-id]'

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}
const results: Record<string, unknown> = {}

// ---------------------------------------------------------------------------------------------------
// What the list view loads.
if (PARTS.has('sizes')) {
  const board = await createBoard('pact-westfriesland-7.1', 'Pact')
  const { context, page } = await newPage({ width: 390, height: 844 }, 'Bench', 'list')
  const scripts: { url: string; encoding: string; transferred: number }[] = []
  page.on('requestfinished', async (request) => {
    // Scripts, and the module preloads Vite adds for a chunk's imports (the script itself then comes
    // from the preload, with nothing over the wire).
    if (!new URL(request.url()).pathname.endsWith('.js')) return
    const response = await request.response()
    const sizes = await request.sizes()
    scripts.push({
      url: new URL(request.url()).pathname,
      encoding: (await response?.headerValue('content-encoding')) ?? 'identity',
      transferred: sizes.responseBodySize + sizes.responseHeadersSize,
    })
  })
  await page.goto(link(board, 'participant'))
  await page.locator(CARD).first().waitFor({ timeout: 60_000 })
  await page.waitForLoadState('networkidle')
  await context.close()
  const byUrl = new Map<string, (typeof scripts)[number]>()
  for (const s of scripts) if ((byUrl.get(s.url)?.transferred ?? -1) < s.transferred) byUrl.set(s.url, s)
  const files = [...byUrl.values()].map((s) => {
    const bytes = fs.readFileSync(path.join(config.clientDir, s.url))
    return {
      ...s,
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes).length,
    }
  })
  const sum = (key: 'raw' | 'gzip' | 'brotli' | 'transferred') => files.reduce((n, f) => n + f[key], 0)
  results.listViewJs = {
    files,
    raw: sum('raw'),
    gzip: sum('gzip'),
    brotli: sum('brotli'),
    transferred: sum('transferred'),
  }
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`
  console.log(
    `list view JS (${files.length} files)  ${kib(sum('raw'))} raw, ${kib(sum('gzip'))} gzip, ${kib(sum('brotli'))} brotli; over the wire ${kib(sum('transferred'))} (${[...new Set(files.map((f) => f.encoding))].join(', ')})`,
  )
  const assets = path.join(config.clientDir, 'assets')
  const canvas = fs.readdirSync(assets).find((name) => /^Canvas-.*\.js$/.test(name))
  if (canvas) {
    const bytes = fs.readFileSync(path.join(assets, canvas))
    results.canvasJs = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length }
    console.log(
      `canvas JS (lazy)              ${kib(bytes.length)} raw, ${kib(gzipSync(bytes, { level: 9 }).length)} gzip`,
    )
  }
}

// ---------------------------------------------------------------------------------------------------
// A participant joins on a phone over slow 4G with a 4× slower CPU: the join screen, then the board.
if (PARTS.has('slow4g')) {
  const board = await createBoard('pact-westfriesland-7.1', 'Pact')
  const runs: {
    joinMs: number
    boardMs: number
    scriptsMs: number
    beforeJoin: { shownMs: number; requests: number; bytes: number; files: string[] }
  }[] = []
  for (let run = 0; run < 3; run++) {
    const { context, page } = await newPage({ width: 390, height: 844 }, null, 'list')
    const cdp = await context.newCDPSession(page)
    await cdp.send('Network.enable')
    // The moment the join screen's name field is in the page, and when the browser painted it (its
    // first contentful paint: the page shows nothing before it), seen from the page itself and heard
    // on the console: a Playwright locator would wait for its own script, evaluated behind the
    // board's scripts that load meanwhile (4× slower), not for the screen.
    await context.addInitScript(() => {
      const w = window as unknown as { joinShown: number; joinPainted: number }
      new MutationObserver((_, observer) => {
        if (!document.querySelector('input[autocomplete="name"]')) return
        w.joinShown = performance.now()
        observer.disconnect()
      }).observe(document, { childList: true, subtree: true })
      new PerformanceObserver((list) => {
        const paint = list.getEntriesByName('first-contentful-paint')[0]
        if (!paint || !document.querySelector('input[autocomplete="name"]')) return
        // (Painted before the join screen was in the page: something else was the first paint.)
        w.joinPainted = paint.startTime >= w.joinShown ? paint.startTime : Number.NaN
        console.debug('bench: join screen painted')
      }).observe({ type: 'paint', buffered: true })
    })
    const painted = page.waitForEvent('console', {
      predicate: (message) => message.text() === 'bench: join screen painted',
      timeout: 60_000,
    })
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 150,
      downloadThroughput: (1.6 * 1024 * 1024) / 8,
      uploadThroughput: (750 * 1024) / 8,
    })
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 })
    await page.goto(link(board, 'participant'), { waitUntil: 'commit' })
    await painted
    const joinMs = Math.round(
      await page.evaluate(() => (window as unknown as { joinPainted: number }).joinPainted),
    )
    const name = page.getByLabel(/Je naam|Your name/)
    // What had come over the wire when it showed (a figure the machine's load does not move).
    const beforeJoin = await page.evaluate(() => {
      const shown = (window as unknown as { joinShown: number }).joinShown
      const done = performance
        .getEntries()
        .filter((e) => 'transferSize' in e)
        .map((e) => e as PerformanceResourceTiming)
        .filter((e) => e.responseEnd <= shown)
      return {
        shownMs: Math.round(shown),
        requests: done.length,
        bytes: done.reduce((n, e) => n + e.transferSize, 0),
        files: done.map((e) => new URL(e.name).pathname.replace(/^\/b\/.*/, '/b/…')),
      }
    })
    // A person types a name (8 letters, about 2 s); the board's code may load meanwhile.
    await name.pressSequentially('Telefoon', { delay: 250 })
    await page.getByRole('button', { name: /Meedoen|Join|Doe mee/ }).click()
    const joined = await page.evaluate(() => performance.now())
    await page.locator(CARD).first().waitFor({ timeout: 60_000 })
    const boardMs = (await page.evaluate(() => performance.now())) - joined
    // When the last script had arrived, from the click on Meedoen (negative: before it).
    const scriptsMs =
      (await page.evaluate(() =>
        Math.max(
          ...performance
            .getEntriesByType('resource')
            .filter((e) => new URL(e.name).pathname.endsWith('.js'))
            .map((e) => (e as PerformanceResourceTiming).responseEnd),
        ),
      )) - joined
    runs.push({
      joinMs: Math.round(joinMs),
      boardMs: Math.round(boardMs),
      scriptsMs: Math.round(scriptsMs),
      beforeJoin,
    })
    await context.close()
  }
  const join = median(runs.map((r) => r.joinMs))
  const shown = median(runs.map((r) => r.boardMs))
  const before = runs[0]?.beforeJoin ?? { shownMs: 0, requests: 0, bytes: 0, files: [] }
  results.slow4g = { runs, joinMs: join, boardMs: shown, load: os.loadavg()[0] }
  console.log(
    `phone, slow 4G, 4× CPU        join screen ${join} ms, then the board ${shown} ms (median of ${runs.length}: ${runs.map((r) => `${r.joinMs}+${r.boardMs}`).join(', ')}; load average ${(os.loadavg()[0] ?? 0).toFixed(1)})`,
  )
  console.log(
    `last script arrived at        ${runs.map((r) => r.scriptsMs).join(', ')} ms from the click on Meedoen (negative: while the name was typed)`,
  )
  console.log(
    `join screen in the page at    ${runs.map((r) => r.beforeJoin.shownMs).join(', ')} ms; before it: ${before.requests} requests, ${(before.bytes / 1024).toFixed(1)} KiB over the wire (${before.files.join(', ')})`,
  )
}

// ---------------------------------------------------------------------------------------------------
// While 5 others type (25 updates/s), how busy is the facilitator's list view, and what does it touch?
if (PARTS.has('typing')) {
  const board = await createBoard('pact-westfriesland-7.1', 'Pact')
  const typists = Array.from({ length: 5 }, () => stockClient(wsUrl, board.id, board.tokens.participant))
  await Promise.all(typists.map((client) => client.ready((doc) => doc.getMap('cards').size >= 20)))
  const targets = firstCards(typists[0]?.doc as Y.Doc, 5)
  for (const [i, client] of typists.entries())
    client.provider.awareness.setLocalState({
      user: { name: `Typist ${i + 1}`, color: '#2f7d4f' },
      editing: targets[i],
    })
  results.typing = {}
  for (const [label, rate] of [
    ['laptop', 1],
    ['phone-class CPU (4× slower)', 4],
  ] as const) {
    const { context, page } = await newPage({ width: 1440, height: 900 }, 'Facilitator', 'list')
    // IndexedDB transactions the page opens (the browser's copy of the board): counted, not timed.
    await context.addInitScript(() => {
      const w = window as unknown as { idbTransactions: number }
      w.idbTransactions = 0
      const open = IDBDatabase.prototype.transaction
      IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<typeof open>) {
        w.idbTransactions++
        return open.apply(this, args)
      }
    })
    await page.goto(link(board))
    await page.locator(CARD).first().waitFor({ timeout: 60_000 })
    await page.locator('[data-connection="connected"]').waitFor({ timeout: 60_000 })
    const cdp = await context.newCDPSession(page)
    await cdp.send('Emulation.setCPUThrottlingRate', { rate })
    await cdp.send('Performance.enable', { timeDomain: 'timeTicks' })
    // Which cards the page touches: DOM mutations, grouped by the card they are in.
    await page.evaluate(() => {
      const w = window as unknown as { touched: Map<string, number> }
      w.touched = new Map()
      new MutationObserver((records) => {
        const cards = new Set<string>()
        for (const record of records) {
          const node = record.target instanceof Element ? record.target : record.target.parentElement
          const id = node?.closest('[data-card-id]')?.getAttribute('data-card-id') ?? '(outside cards)'
          cards.add(id)
        }
        for (const id of cards) w.touched.set(id, (w.touched.get(id) ?? 0) + 1)
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true })
    })
    const metric = async (name: string) => {
      const { metrics } = (await cdp.send('Performance.getMetrics')) as {
        metrics: { name: string; value: number }[]
      }
      return metrics.find((m) => m.name === name)?.value ?? 0
    }
    const seconds = 10
    const perClient = 5 // updates per second each: 25/s together
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const [task0, time0] = [await metric('TaskDuration'), await metric('Timestamp')]
    const idb0 = await page.evaluate(() => (window as unknown as { idbTransactions: number }).idbTransactions)
    let sent = 0
    await new Promise<void>((resolve) => {
      const started = Date.now()
      const timer = setInterval(
        () => {
          const typist = typists[sent % typists.length] as (typeof typists)[0]
          const cardId = targets[sent % typists.length] as string
          const card = typist.doc.getMap('cards').get(cardId) as Y.Map<unknown>
          typist.doc.transact(() => {
            ;(card.get('actie') as Y.Text).insert((card.get('actie') as Y.Text).length, 'x')
            card.set('updatedAt', Date.now())
          })
          sent++
          if (Date.now() - started >= seconds * 1000) {
            clearInterval(timer)
            resolve()
          }
        },
        1000 / (perClient * typists.length),
      )
    })
    const [task1, time1] = [await metric('TaskDuration'), await metric('Timestamp')]
    const busy = ((task1 - task0) / (time1 - time0)) * 100
    const idb =
      (await page.evaluate(() => (window as unknown as { idbTransactions: number }).idbTransactions)) - idb0
    const touched = await page.evaluate(() =>
      Object.fromEntries((window as unknown as { touched: Map<string, number> }).touched),
    )
    const cardsTouched = Object.keys(touched).filter((id) => id !== '(outside cards)')
    ;(results.typing as Record<string, unknown>)[label] = {
      updates: sent,
      busyPct: Math.round(busy * 10) / 10,
      cardsTouched: cardsTouched.length,
      touchedOutsideCards: touched['(outside cards)'] ?? 0,
      idbTransactionsPerUpdate: Math.round((idb / sent) * 100) / 100,
      load: os.loadavg()[0],
    }
    console.log(
      `5 typing, 25 updates/s, ${label.padEnd(28)} list view busy ${busy.toFixed(1)} %; cards touched ${cardsTouched.length} (the 5 typed in), mutation batches outside cards ${touched['(outside cards)'] ?? 0}, IndexedDB transactions per update ${(idb / sent).toFixed(2)} (load average ${(os.loadavg()[0] ?? 0).toFixed(1)})`,
    )
    await context.close()
  }
  await Promise.all(typists.map((client) => client.destroy()))
}

// ---------------------------------------------------------------------------------------------------
// First render and interactive, 100 / 300 / 1,000 cards.
async function measure(url: string, view: 'list' | 'canvas', cards: number) {
  const { context, page } = await newPage({ width: 1400, height: 900 }, 'Bench', view)
  // The first card face painted, marked by the page itself (lib/first-face.ts), not waited for with a
  // locator: that would put Playwright's own script in the page during the load.
  await context.addInitScript(markFirstFace)
  const painted = facePainted(page)
  await page.goto(url)
  await painted
  const firstRender = await page.evaluate(
    () => (window as unknown as { __marks: { facePainted: number } }).__marks.facePainted,
  )
  // Interactive: synced with the server, and a keystroke in the first card's editor lands in its field.
  await page.locator('[data-connection="connected"]').waitFor({ timeout: 120_000 })
  // The card nearest the top left (on the canvas one lower down may lie under tldraw's toolbar).
  const faces = page.locator(view === 'list' ? CARD : `.canvas-card ${CARD}`).filter({ visible: true })
  const tops = await faces.evaluateAll((els) =>
    els.map((el) => el.getBoundingClientRect().top * 10_000 + el.getBoundingClientRect().left),
  )
  await faces
    .nth(tops.indexOf(Math.min(...tops)))
    .locator('[data-action="open"]')
    .click()
  const field = page.locator('dialog[open] textarea').first()
  await field.click()
  await page.keyboard.type('x')
  await page.waitForFunction(
    () =>
      (document.querySelector('dialog[open] textarea') as HTMLTextAreaElement | null)?.value.endsWith('x'),
    undefined,
    { timeout: 120_000 },
  )
  const interactive = await page.evaluate(() => performance.now())
  const rendered = view === 'list' ? await page.locator(CARD).count() : cards
  await context.close()
  return { firstRenderMs: Math.round(firstRender), interactiveMs: Math.round(interactive), rendered }
}

if (PARTS.has('render')) {
  for (const size of SIZES) {
    const url = link(await boardWith(size))
    for (const view of ['list', 'canvas'] as const) {
      const figures = await measure(url, view, size)
      results[`${view}-${size}`] = figures
      console.log(
        `${`${view} ${size} cards`.padEnd(30)} first render ${figures.firstRenderMs} ms, interactive ${figures.interactiveMs} ms`,
      )
    }
  }
}

await browser.close()
await app.close()
fs.rmSync(dataDir, { recursive: true, force: true })
const out = path.join(projectRoot, 'bench', 'results')
fs.mkdirSync(out, { recursive: true })
const file = path.join(out, 'browser.json')
// A run of some parts keeps the figures of the others from the last full run.
const previous = fs.existsSync(file)
  ? ((JSON.parse(fs.readFileSync(file, 'utf8')) as { results?: Record<string, unknown> }).results ?? {})
  : {}
fs.writeFileSync(
  file,
  `${JSON.stringify({ date: new Date().toISOString(), results: { ...previous, ...results } }, null, 2)}\n`,
)
