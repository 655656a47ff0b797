import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { axeViolations } from '../helpers/axe.js'
import { browserSuite, copyWritten, LAPTOP, NARROW, PHONE, screenshot } from '../helpers/browser.js'
import { sidewaysOverflow } from '../helpers/page-width.js'
import { setBoardPhase } from '../helpers/phase.js'
import { createBoard } from '../helpers/server.js'

const suite = browserSuite({ retentionDays: 180 })

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
  const tp = await suite.open(name, 'list')
  await tp.page.setViewportSize(size)
  tp.page.on('dialog', (dialog) => void dialog.accept())
  await tp.page.goto(url)
  await tp.page.locator('[data-connection="connected"]').waitFor()
  await tp.page.locator('[data-saved-locally="true"]').waitFor()
  // This browser's copy of the board (a first visit writes it once the page is idle).
  await copyWritten(tp.page, decodeURIComponent(new URL(url).pathname.split('/').pop() as string))
  return tp
}

describe("a board's whole life in the browser", () => {
  it('[FG1] "Vergeet dit bord op dit apparaat" empties localStorage, sessionStorage, IndexedDB and caches of that board only', async () => {
    const forgotten = await createBoard(suite.app.url, 'blank', 'Te vergeten bord')
    const other = await createBoard(suite.app.url, 'blank', 'Ander bord')
    await setBoardPhase(suite.app.url, forgotten, 'stemmen') // the voter id is made when voting is open
    const tp = await open(`${suite.app.url}/b/${other.id}?token=${other.tokens.participant}`, 'Sanne', PHONE)
    const { page } = tp
    await page.goto(`${suite.app.url}/b/${forgotten.id}?token=${forgotten.tokens.participant}`)
    await page.locator('[data-connection="connected"]').waitFor()
    await page.locator('[data-saved-locally="true"]').waitFor()
    await copyWritten(page, forgotten.id)
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

    // On a phone the panels are behind the header's menu.
    await page.getByRole('button', { name: 'Menu' }).click()
    await page.getByText('Privacy en bewaren').click()
    const forget = page.getByRole('button', { name: 'Vergeet dit bord op dit apparaat' })
    await forget.scrollIntoViewIfNeeded()
    await screenshot(page, 'board-life-panel-phone')
    expect(await axeViolations(page)).toEqual([])
    await page.setViewportSize(NARROW) // no sideways scrolling at 320 px
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0)
    await page.setViewportSize(PHONE)
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
    const board = await createBoard(suite.app.url, 'blank', 'Te verwijderen bord')
    const facilitator = await open(
      `${suite.app.url}/b/${board.id}?token=${board.tokens.facilitator}`,
      'Fenna',
      LAPTOP,
    )
    const observer = await open(
      `${suite.app.url}/b/${board.id}?token=${board.tokens.observer}`,
      'Olaf',
      PHONE,
    )
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
    const res = await fetch(`${suite.app.url}/api/boards/${board.id}`, {
      headers: { authorization: `Bearer ${board.tokens.facilitator}` },
    })
    expect(res.status).toBe(401)
  }, 120_000)

  it('[FG3] a browser that was away when the board was deleted: the link is refused, and its copy can still be forgotten', async () => {
    const board = await createBoard(suite.app.url, 'blank', 'Bord van gisteren')
    const tp = await open(`${suite.app.url}/b/${board.id}?token=${board.tokens.participant}`, 'Pim', PHONE)
    const { page } = tp
    await page.goto(`${suite.app.url}/`) // left the board: nothing of it is open now
    const res = await fetch(`${suite.app.url}/api/boards/${board.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${board.tokens.facilitator}` },
    })
    expect(res.status).toBe(200)
    expect((await stored(page)).databases).toContain(`werkbord-${board.id}`)
    await page.goto(`${suite.app.url}/b/${board.id}?token=${board.tokens.participant}`)
    await page.getByRole('alert').filter({ hasText: 'Deze link werkt niet (meer)' }).waitFor()
    await page.getByRole('button', { name: 'Vergeet dit bord op dit apparaat' }).click()
    await page.getByRole('status').filter({ hasText: 'Dit bord is vergeten op dit apparaat' }).waitFor()
    await screenshot(page, 'board-refused-forgotten-phone')
    const after = await stored(page)
    expect(
      [...Object.keys(after.local), ...after.session, ...after.databases].filter((v) => v.includes(board.id)),
    ).toEqual([])
  }, 120_000)
})
