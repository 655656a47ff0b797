/**
 * List view figures (printed, and written to bench/results/list-view.json): first render of boards with
 * 300 and 1,000 cards in Chromium — time from navigation until the first card face is painted and until
 * every card face is in the page — on a laptop-class CPU and with a 4× CPU slowdown (phone class), and
 * the size of the list view's JavaScript. Needs a build (`npm run build`). Run: `npx tsx bench/list-view.ts`.
 *
 * The first face is marked in the page and heard on the console (lib/first-face.ts), not waited for
 * with a Playwright locator.
 * Targets (issue 9): 300 cards < 1 s, 1,000 cards < 2 s, list view JS < 150 kB gzip.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { chromium } from 'playwright-core'
import { ClientBuild } from '../scripts/client-chunks.js'
import { startApp } from '../server/app.js'
import { loadConfig } from '../server/config.js'
import { createLogger } from '../server/log.js'
import { projectRoot } from '../server/paths.js'
import { facePainted, markFirstFace } from './lib/first-face.js'
import { longBoardLink } from './lib/long-board.js'
import { machineSettled } from './lib/settle.js'

// BENCH_LIST_SIZES=300 (or empty: the script sizes only) picks the boards rendered.
const SIZES = (process.env.BENCH_LIST_SIZES ?? '300,1000').split(',').filter(Boolean).map(Number)
const RUNS = 5
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'werkbord-bench-list-'))
// CLIENT_DIR: another build of the client (e.g. an older commit's, to compare), served by this server.
const app = await startApp(
  { ...loadConfig({ PORT: '0', HOST: '127.0.0.1', CLIENT_DIR: process.env.CLIENT_DIR ?? '' }), dataDir },
  createLogger('silent'),
)
const boardWith = (cards: number) => longBoardLink(app.url, cards)

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
})

async function measure(url: string, cards: number, slowdown: number) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
  await context.addInitScript(() => {
    localStorage.setItem('werkbord.name', 'Bench')
    localStorage.setItem('werkbord.view', 'list')
    // The waterfall: when the board's WebSocket was made, opened and first heard from (beside the
    // marks of markFirstFace: React's first render, the board's frame, the first face).
    const w = window as unknown as { __marks?: Record<string, number> }
    w.__marks ??= {}
    const marks = w.__marks
    const Native = window.WebSocket
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols)
        marks.wsNew ??= performance.now()
        this.addEventListener('open', () => (marks.wsOpen ??= performance.now()))
        this.addEventListener('message', () => (marks.wsMessage ??= performance.now()))
      }
    }
  })
  await context.addInitScript(markFirstFace)
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: slowdown })
  await cdp.send('Performance.enable')
  // The new context's processes start first: the page loads in a browser that is running (lib/settle.ts).
  await machineSettled()
  const painted = facePainted(page)
  await page.goto(url)
  await painted
  await page.waitForFunction((n) => document.querySelectorAll('article.card-face').length >= n, cards, {
    timeout: 120_000,
    polling: 'raf',
  })
  const all = await page.evaluate(() => performance.now())
  // (No functions declared inside: tsx names them with a helper the page does not have.)
  const waterfall = await page.evaluate(() => {
    const marks = (window as unknown as { __marks: Record<string, number> }).__marks
    const times = { entry: 0, app: 0, boardAsked: 0, boardCode: 0, sessionCode: 0 }
    for (const entry of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
      const file = new URL(entry.name).pathname
      if (/\/index-[\w-]+\.js$/.test(file)) times.entry = entry.responseEnd
      if (/\/app-[\w-]+\.js$/.test(file)) times.app = entry.responseEnd
      if (/\/sessionCache-[\w-]+\.js$/.test(file)) times.sessionCode = entry.responseEnd
      if (/\/BoardApp-[\w-]+\.js$/.test(file)) {
        times.boardAsked = entry.startTime
        times.boardCode = entry.responseEnd
      }
    }
    return {
      ...times,
      wsNew: marks.wsNew ?? 0,
      wsOpen: marks.wsOpen ?? 0,
      wsMessage: marks.wsMessage ?? 0,
      react: marks.react ?? 0,
      shell: marks.frame ?? 0,
      faceInDom: marks.faceInDom ?? 0,
      facePainted: marks.facePainted ?? 0,
    }
  })
  // Busy time of the page's main thread (scripts, style, layout): less sensitive than wall time to
  // other processes on a shared machine, which stretch the waits for the network and IndexedDB.
  const { metrics } = (await cdp.send('Performance.getMetrics')) as {
    metrics: { name: string; value: number }[]
  }
  const metric = (name: string) => Math.round((metrics.find((m) => m.name === name)?.value ?? 0) * 1000)
  await context.close()
  return {
    firstMs: Math.round(waterfall.facePainted),
    allMs: Math.round(all),
    busyMs: metric('TaskDuration'),
    scriptMs: metric('ScriptDuration'),
    waterfall,
  }
}

type Waterfall = Awaited<ReturnType<typeof measure>>['waterfall']
/** Each step's median over the runs: navigation → entry → React and the app → board code → WebSocket → first face. */
function waterfallLine(runs: { waterfall: Waterfall; firstMs: number }[]): string {
  const step = (key: keyof Waterfall) => Math.round(median(runs.map((r) => r.waterfall[key])))
  return `entry ${step('entry')}, app ${step('app')}, board code asked ${step('boardAsked')} / in ${step('boardCode')}, session code in ${step('sessionCode')}, WebSocket made ${step('wsNew')} / open ${step('wsOpen')} / first message ${step('wsMessage')}, React's first render ${step('react')}, the board's frame ${step('shell')}, first face in the page ${step('faceInDom')} / painted ${step('facePainted')} ms`
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
const results: Record<string, unknown> = {}
for (const size of SIZES) {
  const url = await boardWith(size)
  await measure(url, size, 1) // warm the server's room and the browser's cache of the bundle
  for (const slowdown of [1, 4]) {
    const runs = []
    for (let i = 0; i < RUNS; i++) runs.push(await measure(url, size, slowdown))
    const figures = {
      firstMs: median(runs.map((r) => r.firstMs)),
      allMs: median(runs.map((r) => r.allMs)),
      busyMs: median(runs.map((r) => r.busyMs)),
      scriptMs: median(runs.map((r) => r.scriptMs)),
    }
    results[`list-${size}-cpu${slowdown}x`] = figures
    console.log(
      `list view, ${String(size).padStart(4)} cards, CPU ${slowdown}×: first face ${figures.firstMs} ms, all faces ${figures.allMs} ms; main thread busy ${figures.busyMs} ms (script ${figures.scriptMs} ms) (median of ${RUNS}; load average ${(os.loadavg()[0] ?? 0).toFixed(1)})`,
    )
    console.log(`  waterfall (ms after navigation): ${waterfallLine(runs)}`)
  }
}

// The list view's scripts: the join screen's entry, then React and the app, the board's code — the
// chunks a participant's list view loads (scripts/client-chunks.ts, from the build's manifest), not
// the lazy ones (facilitator panels, other views, presentation, canvas, start page).
const build = new ClientBuild(process.env.CLIENT_DIR || path.join(projectRoot, 'dist/client'))
const listViewJs = { raw: 0, gzip: 0 }
const joinScreenJs = { raw: 0, gzip: 0 }
const joinScreen = build.scripts(build.joinScreen())
for (const file of build.scripts(build.listView())) {
  const bytes = fs.readFileSync(path.join(build.dir, file))
  const figures = { raw: bytes.length, gzip: gzipSync(bytes).length }
  results[path.basename(file).replace(/-[\w-]{8}\./, '.')] = figures
  listViewJs.raw += figures.raw
  listViewJs.gzip += figures.gzip
  if (joinScreen.includes(file)) {
    joinScreenJs.raw += figures.raw
    joinScreenJs.gzip += figures.gzip
  }
  console.log(
    `${path.basename(file).padEnd(28)} ${(figures.raw / 1024).toFixed(0)} KiB raw, ${(figures.gzip / 1024).toFixed(1)} KiB gzip`,
  )
}
results['list view JS'] = listViewJs
results['join screen JS'] = joinScreenJs
console.log(
  `${'join screen JS'.padEnd(28)} ${(joinScreenJs.raw / 1024).toFixed(1)} KiB raw, ${(joinScreenJs.gzip / 1024).toFixed(1)} KiB gzip`,
)
console.log(
  `${'list view JS, all'.padEnd(28)} ${(listViewJs.raw / 1024).toFixed(0)} KiB raw, ${(listViewJs.gzip / 1024).toFixed(1)} KiB gzip (${(listViewJs.gzip / 1000).toFixed(1)} kB; target < 150 kB)`,
)

await browser.close()
await app.close()
fs.rmSync(dataDir, { recursive: true, force: true })
const out = path.join(projectRoot, 'bench', 'results')
fs.mkdirSync(out, { recursive: true })
fs.writeFileSync(
  path.join(out, 'list-view.json'),
  `${JSON.stringify({ date: new Date().toISOString(), results }, null, 2)}\n`,
)
