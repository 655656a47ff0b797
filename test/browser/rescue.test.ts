import { beforeAll, describe, expect, it } from 'vitest'
import { browserSuite } from '../helpers/browser.js'
import { setBoardPhase } from '../helpers/phase.js'
import { type BoardInfo, createBoard } from '../helpers/server.js'

// No grace period: an edit is judged by the phase at the moment it arrives.
const suite = browserSuite({ phaseGraceMs: 0 })
let board: BoardInfo

beforeAll(async () => {
  board = await createBoard(suite.app.url, 'blank', 'Werksessie met wisselende wifi')
})

describe('text typed offline that the phase no longer allows', () => {
  it('[RS1] is refused by the server, yet shown to its writer after the reload to copy from', async () => {
    const bram = await suite.open('Bram', 'list')
    const { page, context } = bram
    await page.goto(`${suite.app.url}/b/${board.id}?token=${board.tokens.participant}`)
    await page.locator('[data-connection="connected"]').waitFor()
    await page.getByRole('button', { name: 'Nieuwe actie' }).click()
    // The new card opens in the detail editor.
    const card = page.getByRole('dialog', { name: /^Actie 1(:|$)/ })
    await card.locator('textarea[aria-label="Actie"]').pressSequentially('Samen bouwen')
    await page.locator('[data-unsent="0"]').waitFor()

    await context.setOffline(true)
    await page.locator('[data-connection="offline"]').waitFor()
    await card.locator('textarea[aria-label="Doel"]').pressSequentially('Offline geschreven doel')
    await setBoardPhase(suite.app.url, board, 'stemmen') // voting: cards can no longer be edited
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
