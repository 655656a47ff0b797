/**
 * Matrix and planning figures (printed, and written to bench/results/views.json), for a board of 300
 * cards: in Node, the time to derive the matrix, planning and ranking (model/views) and to draw their
 * SVG pictures; in Chromium, the first render of the Matrix and Planning views (navigation until all
 * 300 rows are in the page, and the main thread's busy time) and the time from a matrix cell's click
 * until its ✓ shows. Needs a build (`npm run build`). Run: `npx tsx bench/views.ts`.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { chromium } from 'playwright-core'
import * as Y from 'yjs'
import { initBoard } from '../model/board.js'
import { createCards } from '../model/cards.js'
import { templateOf } from '../model/layout.js'
import { listCards } from '../model/read.js'
import { matrixOf, matrixSvg, planningOf, planningSvg, rankingOf, rankingSvg } from '../model/views/index.js'
import { startApp } from '../server/app.js'
import { loadConfig } from '../server/config.js'
import { createLogger } from '../server/log.js'
import { projectRoot } from '../server/paths.js'
import { loadTemplates } from '../server/templates/templates.js'
import { machineSettled } from './lib/settle.js'
import { benchText } from './lib/text.js'

const CARDS = 300
const RUNS = 3
const THEMES = ['wonen', 'energie', 'onderwijs', 'vrije-tijd', 'economie', 'zorg']
const text = (n: number, seed: number) => benchText(n, seed, 5)
const cardsToAdd = Array.from({ length: CARDS - 20 }, (_, i) => ({
  fields: {
    thema: [THEMES[i % 6] as string, THEMES[(i + 2) % 6] as string],
    actie: text(50 + (i % 150), i),
    doel: text(100 + (i % 100), i + 1),
    planning: { kort: text(30 + (i % 40), i + 2), lang: text(20 + (i % 30), i + 3) },
  },
}))
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
const results: Record<string, unknown> = {}

// Node: the pure functions the views and the session report share.
{
  const pact = loadTemplates(path.join(projectRoot, 'templates')).get('pact-westfriesland-7.1')
  if (!pact) throw new Error('Pact template missing')
  const doc = new Y.Doc()
  initBoard(doc, pact, { id: 'bench', title: 'Bench' })
  createCards(doc, cardsToAdd)
  const template = templateOf(doc)
  const totals = new Map(listCards(doc).map((card, i) => [card.id, i % 7]))
  const frame = { title: 'Bench', subtitle: 'Matrix · vandaag' }
  const texts = { number: 'Nr.', title: 'Actie', lane: 'Lijst', noTitle: '-', empty: '-' }
  const chartTexts = { votes: String, noTitle: '-', hidden: '-', unvoted: String }
  const time = (fn: () => unknown) => {
    const samples = []
    for (let i = 0; i < 7; i++) {
      const start = performance.now()
      fn()
      samples.push(performance.now() - start)
    }
    return Math.round(median(samples) * 10) / 10
  }
  const cards = listCards(doc)
  const figures = {
    listCardsMs: time(() => listCards(doc)),
    matrixMs: time(() => matrixOf(template, cards, { sort: { theme: 'zorg' } })),
    planningMs: time(() => planningOf(template, cards)),
    rankingMs: time(() => rankingOf(template, cards, totals, 40, true)),
    matrixSvgMs: time(() => matrixSvg(matrixOf(template, cards), template, frame, texts)),
    planningSvgMs: time(() => planningSvg(planningOf(template, cards), template, frame, texts)),
    rankingSvgMs: time(() =>
      rankingSvg(rankingOf(template, cards, totals, 40, true), template, frame, chartTexts),
    ),
  }
  results.node = figures
  console.log(`Node, ${CARDS} cards (median of 7):`, figures)
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'werkbord-bench-views-'))
const app = await startApp(
  { ...loadConfig({ PORT: '0', HOST: '127.0.0.1' }), dataDir },
  createLogger('silent'),
)
const res = await fetch(`${app.url}/api/boards`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ template: 'pact-westfriesland-7.1', title: `${CARDS} kaarten` }),
})
const board = (await res.json()) as { id: string; tokens: { facilitator: string } }
const imported = await fetch(`${app.url}/api/boards/${board.id}/import`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${board.tokens.facilitator}` },
  body: JSON.stringify(cardsToAdd),
})
if (!imported.ok) throw new Error(await imported.text())
const url = `${app.url}/b/${board.id}?token=${board.tokens.facilitator}`
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
})

async function measure(view: 'matrix' | 'planning') {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
  await context.addInitScript((chosen) => {
    localStorage.setItem('werkbord.name', 'Bench')
    localStorage.setItem('werkbord.view', chosen)
  }, view)
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Performance.enable')
  // The new context's processes start first: the page loads in a browser that is running (lib/settle.ts).
  await machineSettled()
  await page.goto(url)
  await page.waitForFunction((n) => document.querySelectorAll('main tbody tr').length >= n, CARDS, {
    timeout: 120_000,
    polling: 'raf',
  })
  const allMs = Math.round(await page.evaluate(() => performance.now()))
  const { metrics } = (await cdp.send('Performance.getMetrics')) as {
    metrics: { name: string; value: number }[]
  }
  const busyMs = Math.round((metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000)
  let toggleMs: number | undefined
  if (view === 'matrix') {
    toggleMs = await page.evaluate(async () => {
      const button = document.querySelector<HTMLButtonElement>(
        'tbody tr:last-child button.mark[data-on="false"]',
      )
      if (!button) return -1
      const { row, col } = button.dataset
      const start = performance.now()
      button.click()
      while (
        document
          .querySelector(`button.mark[data-row="${row}"][data-col="${col}"]`)
          ?.getAttribute('data-on') !== 'true'
      )
        await new Promise(requestAnimationFrame)
      return Math.round(performance.now() - start)
    })
  }
  await context.close()
  return { allMs, busyMs, toggleMs }
}

for (const view of ['matrix', 'planning'] as const) {
  await measure(view) // warm the room and the browser's cache
  const runs = []
  for (let i = 0; i < RUNS; i++) runs.push(await measure(view))
  const figures = {
    allRowsMs: median(runs.map((r) => r.allMs)),
    busyMs: median(runs.map((r) => r.busyMs)),
    ...(view === 'matrix' ? { toggleToMarkMs: median(runs.map((r) => r.toggleMs ?? 0)) } : {}),
  }
  results[`${view}-${CARDS}`] = figures
  console.log(
    `${view} view, ${CARDS} cards: all rows ${figures.allRowsMs} ms after navigation, main thread busy ${figures.busyMs} ms${'toggleToMarkMs' in figures ? `, click → ✓ ${figures.toggleToMarkMs} ms` : ''} (median of ${RUNS}; load average ${(os.loadavg()[0] ?? 0).toFixed(1)})`,
  )
}

await browser.close()
await app.close()
fs.rmSync(dataDir, { recursive: true, force: true })
const out = path.join(projectRoot, 'bench', 'results')
fs.mkdirSync(out, { recursive: true })
fs.writeFileSync(
  path.join(out, 'views.json'),
  `${JSON.stringify({ date: new Date().toISOString(), results }, null, 2)}\n`,
)
