import fs from 'node:fs'
import path from 'node:path'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import type { App } from '../../server/app.js'
import { projectRoot } from '../../server/paths.js'
import { startServer } from './server.js'

export const ARTIFACTS = path.join(projectRoot, 'test-results')

/** The screen sizes every view is checked and photographed at. */
export const LAPTOP = { width: 1440, height: 900 }
export const PHONE = { width: 390, height: 844 }
export const NARROW = { width: 320, height: 640 }
export const BEAMER = { width: 1920, height: 1080 }

/** Debian's Chromium, headless, with everything that would call out to the internet switched off. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  })
}

export interface TestPage {
  page: Page
  context: BrowserContext
  /** Requests that went to any origin other than the server's. */
  foreignRequests: string[]
}

/** A fresh browser context (own storage, own IndexedDB) with one page, watching for foreign requests. */
export async function openPage(
  browser: Browser,
  baseUrl: string,
  name?: string,
  view?: 'list' | 'canvas',
): Promise<TestPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const origin = new URL(baseUrl).origin
  const foreignRequests: string[] = []
  context.on('request', (request) => {
    const url = request.url()
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:'))
      foreignRequests.push(url)
  })
  if (name) {
    await context.addInitScript((userName: string) => {
      if (!localStorage.getItem('werkbord.name')) localStorage.setItem('werkbord.name', userName)
    }, name)
  }
  if (view) {
    await context.addInitScript((chosen: string) => {
      if (!localStorage.getItem('werkbord.view')) localStorage.setItem('werkbord.view', chosen)
    }, view)
  }
  const page = await context.newPage()
  page.on('pageerror', (error) => console.error(`[page error] ${error.message}`))
  return { page, context, foreignRequests }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true })
}

/**
 * Until this browser's copy of the board is written (IndexedDB; a first visit makes it once the first
 * sync is in and the page is idle, client/board/session/localCopy.ts): its mark in localStorage.
 * What a test needs before it reloads offline.
 */
export async function copyWritten(page: Page, boardId: string): Promise<void> {
  await page.waitForFunction((id) => localStorage.getItem(`werkbord.copy.${id}`) !== null, boardId)
}

/** The built client must be there: `npm test` builds it; a lone `vitest` run gets a clear message. */
export function assertClientBuilt(): void {
  if (!fs.existsSync(path.join(projectRoot, 'dist/client/index.html'))) {
    throw new Error('The client is not built: run `npm run build` (npm test does) before the browser tests')
  }
}

/** What a browser test file shares: its own server and Chromium, and the pages it opened. */
export interface BrowserSuite {
  app: App
  browser: Browser
  /** Pages opened by the file's tests: closed after its last test. */
  pages: TestPage[]
  /** Opens a page (as {@link openPage} does) on the suite's server, closed after the file's last test. */
  open(name?: string, view?: 'list' | 'canvas'): Promise<TestPage>
}

/**
 * Registers the file's set-up: a server on a free port (with `settings`) and Chromium, started before
 * its tests (after a check that the client is built) and stopped after them with every page opened.
 */
export function browserSuite(settings?: Parameters<typeof startServer>[0]): BrowserSuite {
  const suite = {
    pages: [] as TestPage[],
    async open(name?: string, view?: 'list' | 'canvas') {
      const tp = await openPage(suite.browser, suite.app.url, name, view)
      suite.pages.push(tp)
      return tp
    },
  } as BrowserSuite
  beforeAll(async () => {
    assertClientBuilt()
    suite.app = await startServer(settings)
    suite.browser = await launchBrowser()
  })
  afterAll(async () => {
    for (const { context } of suite.pages) await context.close()
    await suite.browser?.close()
    await suite.app?.close()
  })
  return suite
}
