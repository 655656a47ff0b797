/**
 * Browser figures (printed, and written to bench/results/browser.json): time to first render and to
 * interactive of boards with 100, 300 and 1,000 cards in Chromium, for the list view and the canvas,
 * and the size of the JavaScript bundles. Needs a build (`npm run build`). Run with `npm run bench`.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { chromium } from 'playwright-core'
import { startApp } from '../server/app.js'
import { loadConfig } from '../server/config.js'
import { createLogger } from '../server/log.js'
import { projectRoot } from '../server/paths.js'
import { benchText } from './lib/text.js'

const SIZES = [100, 300, 1000]
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'werkbord-bench-browser-'))
const app = await startApp(
  { ...loadConfig({ PORT: '0', HOST: '127.0.0.1' }), dataDir },
  createLogger('silent'),
)

const text = (n: number, seed: number) => benchText(n, seed, 5)

async function boardWith(cards: number) {
  const res = await fetch(`${app.url}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ template: 'blank', title: `${cards} kaarten` }),
  })
  const board = (await res.json()) as { id: string; tokens: { facilitator: string } }
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
  return `${app.url}/b/${board.id}?token=${board.tokens.facilitator}`
}

const browser = await chromium.launch({
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

async function measure(url: string, view: 'list' | 'canvas', cards: number) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
  await context.addInitScript((chosen: string) => {
    localStorage.setItem('werkbord.name', 'Bench')
    localStorage.setItem('werkbord.view', chosen)
  }, view)
  const page = await context.newPage()
  await page.goto(url)
  const first = view === 'list' ? 'article.card-face' : '.canvas-card[aria-label^="Actie 1:"]'
  await page.locator(first).first().waitFor({ timeout: 120_000 })
  const firstRender = await page.evaluate(() => performance.now())
  // Interactive: synced with the server, and a keystroke in a card lands in its field.
  await page.locator('[data-connection="connected"]').waitFor({ timeout: 120_000 })
  // In the list view a card's fields are in its detail editor, opened from the card face.
  if (view === 'list') await page.locator(`${first} button[data-action="open"]`).first().click()
  const fields = view === 'list' ? 'dialog textarea' : `${first} textarea`
  const field = page.locator(fields).first()
  await field.click()
  await page.keyboard.type('x')
  await page.waitForFunction(
    (sel) => (document.querySelector(sel) as HTMLTextAreaElement | null)?.value.endsWith('x'),
    fields,
  )
  const interactive = await page.evaluate(() => performance.now())
  const rendered = view === 'list' ? await page.locator(first).count() : cards
  await context.close()
  return { firstRenderMs: Math.round(firstRender), interactiveMs: Math.round(interactive), rendered }
}

const results: Record<string, unknown> = {}
for (const size of SIZES) {
  const url = await boardWith(size)
  for (const view of ['list', 'canvas'] as const) {
    const figures = await measure(url, view, size)
    results[`${view}-${size}`] = figures
    console.log(
      `${`${view} ${size} cards`.padEnd(20)} first render ${figures.firstRenderMs} ms, interactive ${figures.interactiveMs} ms`,
    )
  }
}

const assets = path.join(projectRoot, 'dist/client/assets')
const bundles: Record<string, { raw: number; gzip: number }> = {}
for (const file of fs.readdirSync(assets).filter((name) => name.endsWith('.js'))) {
  const bytes = fs.readFileSync(path.join(assets, file))
  const kind = file.startsWith('index-')
    ? 'list view (entry)'
    : file.startsWith('Canvas-')
      ? 'canvas (lazy)'
      : null
  if (!kind) continue
  bundles[kind] = { raw: bytes.length, gzip: gzipSync(bytes).length }
  console.log(
    `${kind.padEnd(20)} ${(bytes.length / 1024).toFixed(0)} KiB raw, ${(gzipSync(bytes).length / 1024).toFixed(0)} KiB gzip`,
  )
}
results.bundles = bundles

await browser.close()
await app.close()
fs.rmSync(dataDir, { recursive: true, force: true })
const out = path.join(projectRoot, 'bench', 'results')
fs.mkdirSync(out, { recursive: true })
fs.writeFileSync(
  path.join(out, 'browser.json'),
  `${JSON.stringify({ date: new Date().toISOString(), results }, null, 2)}\n`,
)
