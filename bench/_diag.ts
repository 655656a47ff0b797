import { chromium } from 'playwright-core'
import { createBoard, startServer } from '../test/helpers/server.js'

const app = await startServer()
const board = await createBoard(app.url, 'pact-westfriesland-7.1', 'P')
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
})
const rate = Number(process.argv[2] ?? 4)
const context = await browser.newContext({ viewport: { width: 390, height: 844 } })
const page = await context.newPage()
const cdp = await context.newCDPSession(page)
await cdp.send('Network.enable')
await cdp.send('Network.emulateNetworkConditions', {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
})
await cdp.send('Emulation.setCPUThrottlingRate', { rate })
await page.goto(`${app.url}/b/${board.id}?token=${board.tokens.participant}`, { waitUntil: 'commit' })
await page.getByLabel(/Je naam/).waitFor()
const t = await page.evaluate(() => ({
  now: performance.now(),
  res: performance
    .getEntriesByType('resource')
    .map((e: any) => [
      e.name.replace(location.origin, '').slice(0, 50),
      Math.round(e.startTime),
      Math.round(e.responseEnd),
      e.transferSize,
    ]),
  nav: (performance.getEntriesByType('navigation')[0] as any).toJSON(),
  paint: performance.getEntriesByType('paint').map((p) => [p.name, Math.round(p.startTime)]),
}))
console.log(t.now, t.res, Math.round(t.nav.responseEnd), Math.round(t.nav.domContentLoadedEventEnd), t.paint)
await browser.close()
await app.close()
