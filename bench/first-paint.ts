/**
 * Where a list view's first render goes, for one board (default 300 cards; fresh browser context each
 * load: no cache, no IndexedDB copy; 1440×900, CPU 1×). After one warm-up load it prints, for RUNS
 * loads (default 9), the medians of three marks taken in the page — the board's frame in the DOM, the
 * first card face in the DOM, and the first task after the frame that painted it — which do not
 * include the polling delay of Playwright's wait that bench/list-view.ts and bench/browser.ts measure.
 *
 *   PROFILE=first.cpuprofile  also writes a V8 CPU profile of one more load (bench/profile-top.ts
 *                              summarises it; the build's source maps name the functions)
 *   CPU=4                      slows the page's CPU down 4× (a phone), as bench/list-view.ts does
 *   ROLE=participant           a participant's link (default: the facilitator's, which also loads the panels)
 *   VIEWPORT=390x844           the page's size (default 1440x900, a laptop; 390x844 is a phone)
 *   TIMING=1                  prints the page's resource timing of each load (requests, responses)
 *   CLIENT_DIR_B=<dir>         also serves another build of the client (e.g. a change's, built with
 *                              `npx vite build --outDir <dir>`) from a second server with the same board,
 *                              and alternates the loads between the two: A/B medians on the same machine
 *
 * Needs a build. Run: `npx tsx bench/first-paint.ts [cards]`.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium } from 'playwright-core'
import { startApp } from '../server/app.js'
import { loadConfig } from '../server/config.js'
import { createLogger } from '../server/log.js'
import { type FaceMarks, facePainted, markFirstFace } from './lib/first-face.js'
import { longBoardLink } from './lib/long-board.js'
import { machineSettled } from './lib/settle.js'

const CARDS = Number(process.argv[2] ?? 300)
const RUNS = Number(process.env.RUNS ?? 9)
const SLOWDOWN = Number(process.env.CPU ?? 1)
const [width, height] = (process.env.VIEWPORT ?? '1440x900').split('x').map(Number) as [number, number]
const VIEWPORT = { width, height }
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'werkbord-bench-first-'))
const app = await startApp(
  { ...loadConfig({ PORT: '0', HOST: '127.0.0.1', CLIENT_DIR: process.env.CLIENT_DIR ?? '' }), dataDir },
  createLogger('silent'),
)
const ROLE = process.env.ROLE === 'participant' ? 'participant' : 'facilitator'
const url = await longBoardLink(app.url, CARDS, ROLE)
// B: the other build, on a second server with its own data folder and a board made the same way.
const dataDirB = fs.mkdtempSync(path.join(os.tmpdir(), 'werkbord-bench-first-b-'))
const appB = process.env.CLIENT_DIR_B
  ? await startApp(
      {
        ...loadConfig({ PORT: '0', HOST: '127.0.0.1', CLIENT_DIR: process.env.CLIENT_DIR_B }),
        dataDir: dataDirB,
      },
      createLogger('silent'),
    )
  : null
const urlB = appB ? await longBoardLink(appB.url, CARDS, ROLE) : null

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
})

type Marks = FaceMarks
async function load(profile: string | null, at = url): Promise<Marks> {
  const context = await browser.newContext({ viewport: VIEWPORT })
  await context.addInitScript(() => {
    localStorage.setItem('werkbord.name', 'Bench')
    localStorage.setItem('werkbord.view', 'list')
  })
  await context.addInitScript(markFirstFace)
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  if (SLOWDOWN > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: SLOWDOWN })
  if (profile) {
    await cdp.send('Profiler.enable')
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 })
    await cdp.send('Profiler.start')
  }
  // The new context's processes start first: the page loads in a browser that is running (lib/settle.ts).
  await machineSettled()
  const painted = facePainted(page)
  await page.goto(at)
  await painted
  if (profile) {
    const { profile: cpu } = await cdp.send('Profiler.stop')
    fs.writeFileSync(profile, JSON.stringify(cpu))
  }
  const marks = await page.evaluate(() => (window as unknown as { __marks: Marks }).__marks)
  if (process.env.TIMING)
    console.log(
      await page.evaluate(() =>
        [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
          .map((entry) => {
            const r = entry as PerformanceResourceTiming
            const name = r.name.replace(/.*\//, '').slice(0, 28).padEnd(28)
            return `${name} start ${r.startTime.toFixed(0).padStart(5)} request ${r.requestStart.toFixed(0).padStart(5)} response ${r.responseStart.toFixed(0).padStart(5)} end ${r.responseEnd.toFixed(0).padStart(5)}`
          })
          .join('\n'),
      ),
    )
  await context.close()
  return marks
}

// Warms the server (and keeps the board's room loaded, as in a werksessie).
await load(null)
if (urlB) await load(null, urlB)
const runs: Marks[] = []
const runsB: Marks[] = []
for (let i = 0; i < RUNS; i++) {
  runs.push(await load(null))
  if (urlB) runsB.push(await load(null, urlB))
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
function report(name: string, of: Marks[]) {
  const line = ['frame', 'faceInDom', 'facePainted']
    .map((key) => `${key} ${median(of.map((m) => m[key as keyof Marks] ?? Number.NaN)).toFixed(0)}`)
    .join(', ')
  console.log(
    `${name}${CARDS} cards, ${ROLE}, ${width}×${height}, CPU ${SLOWDOWN}×, median of ${RUNS} (ms after navigation): ${line}; painted: ${of.map((m) => (m.facePainted ?? 0).toFixed(0)).join(' ')} (load average ${(os.loadavg()[0] ?? 0).toFixed(1)})`,
  )
}
report(urlB ? 'A: ' : '', runs)
if (urlB) report('B: ', runsB)
if (process.env.PROFILE) {
  await load(process.env.PROFILE)
  console.log(`CPU profile of one more load: ${process.env.PROFILE}`)
}
await browser.close()
await app.close()
await appB?.close()
fs.rmSync(dataDir, { recursive: true, force: true })
fs.rmSync(dataDirB, { recursive: true, force: true })
