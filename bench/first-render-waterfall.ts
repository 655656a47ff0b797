/**
 * The waterfall of a list view's first render: when, after navigation, each step of opening a board
 * happened — the page, its scripts, the board's questions to the server, the WebSocket (created, open,
 * first and last message before the first face), this browser's IndexedDB copy, the first face and
 * all faces — for a returning user (name known) in a fresh browser (nothing cached, no local copy).
 * For finding fixed costs, not for figures: `npx tsx bench/first-render-waterfall.ts` (needs a build).
 * `CARDS` (default 100), `RATE` (CPU slowdown, default 1), `RUNS` (default 3; medians are printed).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium } from 'playwright-core'
import { startApp } from '../server/app.js'
import { loadConfig } from '../server/config.js'
import { createLogger } from '../server/log.js'
import { benchText } from './lib/text.js'

const CARDS = Number(process.env.CARDS ?? 100)
const RATE = Number(process.env.RATE ?? 1)
const RUNS = Number(process.env.RUNS ?? 3)
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'werkbord-waterfall-'))
const app = await startApp(
  { ...loadConfig({ PORT: '0', HOST: '127.0.0.1', CLIENT_DIR: process.env.CLIENT_DIR ?? '' }), dataDir },
  createLogger('silent'),
)
const text = (n: number, seed: number) => benchText(n, seed, 5)
const res = await fetch(`${app.url}/api/boards`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ template: 'pact-westfriesland-7.1', title: `${CARDS} kaarten` }),
})
const board = (await res.json()) as { id: string; tokens: { facilitator: string } }
const imported = await fetch(`${app.url}/api/boards/${board.id}/import`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${board.tokens.facilitator}` },
  body: JSON.stringify(
    Array.from({ length: CARDS - 20 }, (_, i) => ({
      fields: { actie: text(50 + (i % 150), i), doel: text(100 + (i % 100), i + 1) },
    })),
  ),
})
if (!imported.ok) throw new Error(await imported.text())
const url = `${app.url}/b/${board.id}?token=${board.tokens.facilitator}`

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
})

async function run(): Promise<Record<string, number>> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
  // As source text: tsx would wrap named functions in a helper the page does not have.
  await context.addInitScript({
    content: `
      localStorage.setItem('werkbord.name', 'Bench')
      localStorage.setItem('werkbord.view', 'list')
      const marks = (window.marks = {})
      const mark = (name) => { if (marks[name] === undefined) marks[name] = performance.now() }
      const Native = WebSocket
      window.WebSocket = class extends Native {
        constructor(...args) {
          super(...args)
          mark('ws created')
          this.addEventListener('open', () => mark('ws open'))
          this.addEventListener('message', () => {
            mark('ws first message')
            if (marks['first face'] === undefined) marks['ws last message before first face'] = performance.now()
          })
        }
      }
      const open = indexedDB.open.bind(indexedDB)
      indexedDB.open = (name, version) => {
        const which = name.startsWith('werkbord-') ? 'board' : name
        mark('idb open ' + which)
        const request = open(name, version)
        request.addEventListener('success', () => mark('idb opened ' + which))
        return request
      }
      new MutationObserver((_, observer) => {
        if (document.querySelector('.loading')) mark('"loading" shown')
        if (document.querySelector('.board')) mark('board shell')
        const faces = document.querySelectorAll('article.card-face').length
        if (faces > 0) mark('first face')
        if (faces >= ${CARDS}) {
          mark('all faces')
          observer.disconnect()
        }
      }).observe(document, { childList: true, subtree: true })
    `,
  })
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: RATE })
  // PROFILE=1: a V8 CPU profile from navigation to the first face; the functions with most self time.
  if (process.env.PROFILE) {
    await cdp.send('Profiler.enable')
    await cdp.send('Profiler.setSamplingInterval', { interval: 250 })
    await cdp.send('Profiler.start')
  }
  await page.goto(url)
  if (process.env.PROFILE) {
    await page.locator('article.card-face').first().waitFor({ timeout: 120_000 })
    const { profile } = (await cdp.send('Profiler.stop')) as {
      profile: {
        nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]
        samples: number[]
        timeDeltas: number[]
      }
    }
    const self = new Map<number, number>()
    for (const [i, id] of profile.samples.entries())
      self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
    const byFunction = new Map<string, number>()
    for (const node of profile.nodes) {
      const file = node.callFrame.url ? new URL(node.callFrame.url).pathname : ''
      const key = `${node.callFrame.functionName || '(anonymous)'} ${file}:${node.callFrame.lineNumber + 1}`
      byFunction.set(key, (byFunction.get(key) ?? 0) + (self.get(node.id) ?? 0))
    }
    console.log(
      [...byFunction]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 30)
        .map(([key, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`)
        .join('\n'),
    )
  }
  await page
    .waitForFunction(
      () => (window as unknown as { marks: Record<string, number> }).marks['all faces'],
      undefined,
      {
        timeout: 60_000,
      },
    )
    .catch(async (error) => {
      console.log(await page.evaluate(() => JSON.stringify((window as unknown as { marks: unknown }).marks)))
      console.log(
        await page.locator('article.card-face').count(),
        await page
          .locator('#root')
          .innerHTML()
          .then((h) => h.slice(0, 300)),
      )
      throw error
    })
  const figures = await page.evaluate(() => {
    const out: Record<string, number> = { ...(window as unknown as { marks: Record<string, number> }).marks }
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
    out['document received'] = nav.responseEnd
    out.DOMContentLoaded = nav.domContentLoadedEventEnd
    for (const entry of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
      const name = new URL(entry.name).pathname
        .replace(/-[\w-]{8}\.(js|css)$/, '.$1')
        .replace(/\/api\/boards\/[^/]+$/, '/api/boards/:id')
      out[`${name} start`] = entry.startTime
      out[`${name} end`] = entry.responseEnd
    }
    return out
  })
  await context.close()
  return figures
}

const runs: Record<string, number>[] = []
for (let i = 0; i < RUNS; i++) runs.push(await run())
const keys = [...new Set(runs.flatMap((r) => Object.keys(r)))]
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
const rows = keys
  .map((key) => [key, median(runs.map((r) => r[key]).filter((v): v is number => v !== undefined))] as const)
  .sort((a, b) => a[1] - b[1])
console.log(`${CARDS} cards, CPU ${RATE}×, median of ${RUNS} (load average ${os.loadavg()[0]?.toFixed(1)}):`)
for (const [key, ms] of rows) console.log(`${ms.toFixed(0).padStart(7)} ms  ${key}`)
await browser.close()
await app.close()
fs.rmSync(dataDir, { recursive: true, force: true })
