import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../server/app.js'
import { axeViolations } from '../helpers/axe.js'
import {
  assertClientBuilt,
  LAPTOP,
  launchBrowser,
  openPage,
  PHONE,
  screenshot,
  type TestPage,
} from '../helpers/browser.js'
import { setBoardPhase } from '../helpers/phase.js'
import { createBoard, startServer } from '../helpers/server.js'

let app: App
let browser: Browser
const pages: TestPage[] = []

beforeAll(async () => {
  assertClientBuilt()
  app = await startServer({ retentionDays: 180 })
  browser = await launchBrowser()
})
afterAll(async () => {
  for (const page of pages) await page.context.close()
  await browser?.close()
  await app?.close()
})

/** Everything this origin keeps in the browser: localStorage, sessionStorage, IndexedDB and Cache Storage. */
async function stored(page: Page) {
  return page.evaluate(async () => {
    const cached: string[] = []
    for (const name of await caches.keys()) {
      const cache = await caches.open(name)
      for (const request of await cache.keys()) {
        cached.push(request.url, (await cache.match(request))?.url ?? '')
      }
    }
    return {
      local: Object.fromEntries(Object.keys(localStorage).map((key) => [key, localStorage.getItem(key)])),
      session: Object.keys(sessionStorage),
      databases: (await indexedDB.databases()).map((db) => db.name ?? ''),
      cached,
    }
  })
}

async function open(url: string, name: string, size: { width: number; height: number }) {
  const tp = await openPage(browser, app.url, name, 'list')
  pages.push(tp)
  await tp.page.setViewportSize(size)
  tp.page.on('dialog', (dialog) => void dialog.accept())
  await tp.page.goto(url)
  await tp.page.locator('[data-connection="connected"]').waitFor()
  await tp.page.locator('[data-saved-locally="true"]').waitFor()
  return tp
}

describe("a board's whole life in the browser", () => {
  it('[FG1] "Vergeet dit bord op dit apparaat" empties localStorage, sessionStorage, IndexedDB and caches of that board only', async () => {
    const forgotten = await createBoard(app.url, 'blank', 'Te vergeten bord')
    const other = await createBoard(app.url, 'blank', 'Ander bord')
    await setBoardPhase(app.url, forgotten, 'stemmen') // the voter id is made when voting is open
    const tp = await open(`${app.url}/b/${other.id}?token=${other.tokens.participant}`, 'Sanne', PHONE)
    const { page } = tp
    await page.goto(`${app.url}/b/${forgotten.id}?token=${forgotten.tokens.participant}`)
    await page.locator('[data-connection="connected"]').waitFor()
    await page.locator('[data-saved-locally="true"]').waitFor()
    await expect
      .poll(async () => Object.keys((await stored(page)).local))
      .toContain(`werkbord.voter.${forgotten.id}`)

    const before = await stored(page)
    const id = forgotten.id
    expect(Object.keys(before.local)).toEqual(
      expect.arrayContaining([`werkbord.board.${id}`, `werkbord.voter.${id}`, 'werkbord.name']),
    )
    expect(before.session).toContain(`werkbord.token.${id}`)
    expect(before.databases).toEqual(expect.arrayContaining([`werkbord-${id}`, `werkbord-${other.id}`]))

    await page.getByText('Privacy en bewaren').click()
    const forget = page.getByRole('button', { name: 'Vergeet dit bord op dit apparaat' })
    await forget.scrollIntoViewIfNeeded()
    await screenshot(page, 'board-life-panel-phone')
    expect(await axeViolations(page)).toEqual([])
    await forget.click()
    await page.locator('[data-gone="forgotten"]').waitFor()
    expect(await page.getByRole('alert').textContent()).toContain('Dit bord is vergeten op dit apparaat')
    await screenshot(page, 'board-forgotten-phone')

    const after = await stored(page)
    const mentions = (values: string[]) => values.filter((value) => value.includes(id))
    expect(mentions([...Object.keys(after.local), ...Object.values(after.local).map(String)])).toEqual([])
    expect(after.local['werkbord.name']).toBeUndefined()
    expect(mentions(after.session)).toEqual([])
    expect(mentions(after.databases)).toEqual([])
    expect(mentions(after.cached)).toEqual([])
    // The other board is still kept on this device.
    expect(after.local[`werkbord.board.${other.id}`]).toBeDefined()
    expect(after.databases).toContain(`werkbord-${other.id}`)
  }, 120_000)

  it('[FG2] the facilitator sees the deletion date, postpones it, deletes the board; every browser drops its copy and says so', async () => {
    const board = await createBoard(app.url, 'blank', 'Te verwijderen bord')
    const facilitator = await open(
      `${app.url}/b/${board.id}?token=${board.tokens.facilitator}`,
      'Fenna',
      LAPTOP,
    )
    const observer = await open(`${app.url}/b/${board.id}?token=${board.tokens.observer}`, 'Olaf', PHONE)
    const page = facilitator.page
    await page.getByText('Privacy en bewaren').click()
    const date = page.locator('[data-delete-after]')
    await expect.poll(() => date.getAttribute('data-delete-after')).not.toBe('')
    const first = Date.parse((await date.getAttribute('data-delete-after')) as string)
    expect(first - Date.now()).toBeGreaterThan(179 * 86_400_000)
    expect(await date.textContent()).toMatch(/wordt automatisch verwijderd op \d+ \w+ \d{4}/)
    await page.getByRole('button', { name: 'Langer bewaren' }).click()
    await page.getByRole('status').filter({ hasText: 'Bewaard tot ten minste' }).waitFor()
    expect(Date.parse((await date.getAttribute('data-delete-after')) as string)).toBeGreaterThanOrEqual(first)
    await screenshot(page, 'board-life-panel-laptop')
    expect(await axeViolations(page)).toEqual([])

    await page.getByRole('button', { name: 'Bord verwijderen' }).click()
    for (const tp of [facilitator, observer]) {
      await tp.page.locator('[data-gone="deleted"]').waitFor()
      expect(await tp.page.getByRole('alert').textContent()).toContain('Dit bord is verwijderd')
      await expect
        .poll(async () => {
          const after = await stored(tp.page)
          return [...Object.keys(after.local), ...after.session, ...after.databases].filter((v) =>
            v.includes(board.id),
          )
        })
        .toEqual([])
    }
    await screenshot(page, 'board-deleted-laptop')
    await screenshot(observer.page, 'board-deleted-phone')
    expect(await axeViolations(observer.page)).toEqual([])
    const res = await fetch(`${app.url}/api/boards/${board.id}`, {
      headers: { authorization: `Bearer ${board.tokens.facilitator}` },
    })
    expect(res.status).toBe(401)
  }, 120_000)
})
