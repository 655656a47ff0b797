/**
 * Where the list view's main thread goes while 5 others type (the typing scenario of bench/browser.ts):
 * a V8 CPU profile of the facilitator's page (CDP Profiler) and Chromium's busy-time split (script,
 * style, layout), with a CPU slowdown (`RATE`, default 4). Prints the functions with the most self
 * time and the time per script file. For finding costs, not for figures: `npx tsx bench/typing-profile.ts`
 * (needs a build; `CLIENT_DIR` may point at an unminified one: `npx vite build --minify false --outDir …`).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium } from 'playwright-core'
import type * as Y from 'yjs'
import { startApp } from '../server/app.js'
import { loadConfig } from '../server/config.js'
import { createLogger } from '../server/log.js'
import { firstCards, stockClient } from './lib/clients.js'

const RATE = Number(process.env.RATE ?? 4)
const SECONDS = Number(process.env.SECONDS ?? 10)
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'werkbord-typing-profile-'))
const app = await startApp(
  { ...loadConfig({ PORT: '0', HOST: '127.0.0.1', CLIENT_DIR: process.env.CLIENT_DIR ?? '' }), dataDir },
  createLogger('silent'),
)
const wsUrl = `${app.url.replace('http', 'ws')}/sync`
const res = await fetch(`${app.url}/api/boards`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ template: 'pact-westfriesland-7.1', title: 'Pact' }),
})
const board = (await res.json()) as { id: string; tokens: { facilitator: string; participant: string } }
const typists = Array.from({ length: 5 }, () => stockClient(wsUrl, board.id, board.tokens.participant))
await Promise.all(typists.map((client) => client.ready((doc) => doc.getMap('cards').size >= 20)))
const targets = firstCards(typists[0]?.doc as Y.Doc, 5)
for (const [i, client] of typists.entries())
  client.provider.awareness.setLocalState({
    user: { name: `Typist ${i + 1}`, color: '#2f7d4f' },
    editing: targets[i],
  })

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
})
const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
await context.addInitScript(() => {
  localStorage.setItem('werkbord.name', 'Facilitator')
  localStorage.setItem('werkbord.view', 'list')
})
const page = await context.newPage()
await page.goto(`${app.url}/b/${board.id}?token=${board.tokens.facilitator}`)
await page.locator('article[data-card-id]').first().waitFor({ timeout: 60_000 })
await page.locator('[data-connection="connected"]').waitFor({ timeout: 60_000 })
// An experiment: extra CSS for the page (e.g. containment), from the environment.
if (process.env.EXTRA_CSS) await page.addStyleTag({ content: process.env.EXTRA_CSS })
const cdp = await context.newCDPSession(page)
await cdp.send('Emulation.setCPUThrottlingRate', { rate: RATE })
await cdp.send('Performance.enable', { timeDomain: 'timeTicks' })
await cdp.send('Profiler.enable')
await cdp.send('Profiler.setSamplingInterval', { interval: 200 })
await new Promise((resolve) => setTimeout(resolve, 1000))
const metrics = async () =>
  Object.fromEntries(
    (
      (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }
    ).metrics.map((m) => [m.name, m.value]),
  ) as Record<string, number>
const m0 = await metrics()
await cdp.send('Profiler.start')
const traceEvents: {
  name: string
  ph: string
  dur?: number
  tid: number
  pid: number
  cat: string
  args?: { name?: string }
}[] = []
cdp.on('Tracing.dataCollected', (data) => {
  traceEvents.push(...(data.value as unknown as typeof traceEvents))
})
const traced = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()))
await cdp.send('Tracing.start', {
  categories: 'devtools.timeline,disabled-by-default-devtools.timeline,blink,v8',
  transferMode: 'ReportEvents',
})
let sent = 0
await new Promise<void>((resolve) => {
  const started = Date.now()
  const timer = setInterval(() => {
    const typist = typists[sent % typists.length] as (typeof typists)[0]
    const card = typist.doc.getMap('cards').get(targets[sent % typists.length] as string) as Y.Map<unknown>
    typist.doc.transact(() => {
      ;(card.get('actie') as Y.Text).insert((card.get('actie') as Y.Text).length, 'x')
      card.set('updatedAt', Date.now())
    })
    sent++
    if (Date.now() - started >= SECONDS * 1000) {
      clearInterval(timer)
      resolve()
    }
  }, 1000 / 25)
})
const { profile } = (await cdp.send('Profiler.stop')) as {
  profile: {
    nodes: {
      id: number
      callFrame: { functionName: string; url: string; lineNumber: number }
      children?: number[]
    }[]
    samples: number[]
    timeDeltas: number[]
  }
}
const m1 = await metrics()
await cdp.send('Tracing.end')
await traced
const mainTid = traceEvents.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')?.tid
const count = (name: string) => traceEvents.filter((e) => e.tid === mainTid && e.name === name).length
console.log(
  `frames (UpdateLifecycle) ${count('WebFrameWidgetImpl::UpdateLifecycle')}, Layout ${count('Layout')}, Paint ${count('Paint')}, FunctionCall ${count('FunctionCall')}`,
)
const layouts = traceEvents.filter(
  (e) => e.tid === mainTid && e.name === 'Layout' && e.ph === 'X',
) as unknown as {
  args: { beginData?: { dirtyObjects: number; totalObjects: number; partialLayout: boolean } }
}[]
const sample = layouts.slice(10, 13).map((e) => JSON.stringify(e.args))
console.log(`Layout args (first 5): ${sample.join(' | ')}`)
const byEvent = new Map<string, number>()
for (const e of traceEvents)
  if (e.tid === mainTid && e.ph === 'X' && e.dur) byEvent.set(e.name, (byEvent.get(e.name) ?? 0) + e.dur)
console.log(
  'main-thread trace events (total duration, nested ones overlap):\n' +
    [...byEvent]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 30)
      .map(([k, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`)
      .join('\n'),
)
const wall = (m1.Timestamp ?? 0) - (m0.Timestamp ?? 0)
const pct = (key: string) => (((m1[key] ?? 0) - (m0[key] ?? 0)) / wall) * 100
console.log(
  `CPU ${RATE}×, ${sent} updates in ${wall.toFixed(1)} s: busy ${pct('TaskDuration').toFixed(1)} % (script ${pct('ScriptDuration').toFixed(1)} %, style ${pct('RecalcStyleDuration').toFixed(1)} %, layout ${pct('LayoutDuration').toFixed(1)} %); load average ${os.loadavg()[0]?.toFixed(1)}`,
)
fs.writeFileSync(path.join(os.tmpdir(), 'typing.cpuprofile'), JSON.stringify(profile))
const self = new Map<number, number>()
for (const [i, id] of profile.samples.entries())
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
const byFunction = new Map<string, number>()
const byFile = new Map<string, number>()
for (const node of profile.nodes) {
  const us = self.get(node.id) ?? 0
  const file = node.callFrame.url ? new URL(node.callFrame.url).pathname : '(native)'
  const key = `${node.callFrame.functionName || '(anonymous)'} ${file}:${node.callFrame.lineNumber + 1}`
  byFunction.set(key, (byFunction.get(key) ?? 0) + us)
  byFile.set(file, (byFile.get(file) ?? 0) + us)
}
const top = (map: Map<string, number>, n: number) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`)
console.log(`self time per file:\n${top(byFile, 12).join('\n')}`)
console.log(`self time per function:\n${top(byFunction, 40).join('\n')}`)
await browser.close()
await Promise.all(typists.map((client) => client.destroy()))
await app.close()
fs.rmSync(dataDir, { recursive: true, force: true })
