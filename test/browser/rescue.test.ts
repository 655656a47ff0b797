import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../server/app.js'
import { assertClientBuilt, launchBrowser, openPage, type TestPage } from '../helpers/browser.js'
import { setBoardPhase } from '../helpers/phase.js'
import { type BoardInfo, createBoard, startServer } from '../helpers/server.js'

let app: App
let browser: Browser
let board: BoardInfo
let bram: TestPage

beforeAll(async () => {
  assertClientBuilt()
  // No grace period: an edit is judged by the phase at the moment it arrives.
  app = await startServer({ phaseGraceMs: 0 })
  browser = await launchBrowser()
  board = await createBoard(app.url, 'blank', 'Werksessie met wisselende wifi')
})
afterAll(async () => {
  await bram?.context.close()
  await browser?.close()
  await app?.close()
})

describe('text typed offline that the phase no longer allows', () => {
  it('[RS1] is refused by the server, yet shown to its writer after the reload to copy from', async () => {
    bram = await openPage(browser, app.url, 'Bram', 'list')
    const { page, context } = bram
    await page.goto(`${app.url}/b/${board.id}?token=${board.tokens.participant}`)
    await page.locator('[data-connection="connected"]').waitFor()
    await page.getByRole('button', { name: 'Nieuwe actie' }).click()
    // The new card opens in the detail editor.
    const card = page.getByRole('dialog', { name: /^Actie 1(:|$)/ })
    await card.locator('textarea[aria-label="Actie"]').pressSequentially('Samen bouwen')
    await page.locator('[data-unsent="0"]').waitFor()

    await context.setOffline(true)
    await page.locator('[data-connection="offline"]').waitFor()
    await card.locator('textarea[aria-label="Doel"]').pressSequentially('Offline geschreven doel')
    await setBoardPhase(app.url, board, 'stemmen') // voting: cards can no longer be edited
    await context.setOffline(false)

    // The refusal reloads the board from the server; the text is offered to copy.
    await page.getByRole('alert').filter({ hasText: 'niet toegestaan' }).waitFor()
    const rescued = page.getByRole('region', { name: 'Niet opgeslagen tekst' })
    await expect
      .poll(() => rescued.getByLabel(/Actie 1 \(Samen bouwen\) – Doel/).inputValue())
      .toBe('Offline geschreven doel')
    // The board, reloaded, does not hold it: the card (now read-only) shows no Doel.
    await page
      .getByRole('article', { name: /^Actie 1(:|$)/ })
      .locator('button[data-action="open"]')
      .click()
    expect(await card.locator('[data-field="doel"]').textContent()).toBe('Doel—')
    await page.keyboard.press('Escape')
    await expect.poll(() => card.count()).toBe(0)
    await rescued.getByRole('button', { name: 'Gezien, sluiten' }).click()
    await expect.poll(() => rescued.count()).toBe(0)
    await page.reload()
    await page.locator('[data-connection="connected"]').waitFor()
    expect(await page.getByRole('region', { name: 'Niet opgeslagen tekst' }).count()).toBe(0)
  })
})
