import { beforeAll, describe, expect, it } from 'vitest'
import { browserSuite, copyWritten, screenshot, type TestPage } from '../helpers/browser.js'
import { setBoardPhase } from '../helpers/phase.js'
import { type BoardInfo, createBoard } from '../helpers/server.js'

let board: BoardInfo

const suite = browserSuite()
beforeAll(async () => {
  board = await createBoard(suite.app.url, 'pact-westfriesland-7.1', 'Werksessie Pact 7.1')
})

async function participant(name: string, token = board.tokens.participant): Promise<TestPage> {
  const tp = await suite.open(name, 'list')
  await tp.page.goto(`${suite.app.url}/b/${board.id}?token=${token}`)
  await tp.page.locator('[data-connection="connected"]').waitFor()
  return tp
}

/** A card by the start of its title (the first line of its action), as screen readers announce it. */
const cardByText = (tp: TestPage, text: string) =>
  tp.page.getByRole('article', { name: new RegExp(`^Actie \\d+: ${text}`) })

/** Opens a card's detail editor from its face; returns the editor's field with this label. */
async function openField(tp: TestPage, text: string, label: string) {
  await cardByText(tp, text).locator('button[data-action="open"]').click()
  return tp.page.getByRole('dialog').locator(`textarea[aria-label="${label}"]`)
}

/** The titles the card faces show, in the order of the page (one lane or all). */
const faceTexts = (tp: TestPage, lane?: string) =>
  tp.page
    .locator(`${lane ? `section[data-lane="${lane}"] ` : ''}article.card-face .card-face-text`)
    .allTextContents()

// Each test opens pages and joins (a browser context, the join, the first render): under a loaded
// 2-core machine [L1] took 14–20 s, at the 20 s default's edge; generous, never a timing assertion.
describe('list view in Chromium', { timeout: 60_000 }, () => {
  it('[L1] one participant creates and types in a card, the other sees it live', async () => {
    const anouk = await participant('Anouk')
    const bram = await participant('Bram')
    await anouk.page.getByRole('button', { name: 'Nieuwe actie' }).click()
    await anouk.page.getByLabel('Kies eerst een thema').selectOption({ label: 'Wonen en Leefbaarheid' })
    await anouk.page.locator('form.new-card').getByRole('button', { name: 'Toevoegen' }).click()
    // The new card opens in the detail editor, the caret in its Actie.
    const actie = anouk.page.getByRole('dialog').locator('textarea[aria-label="Actie"]')
    await expect.poll(() => actie.evaluate((el) => el === document.activeElement)).toBe(true)
    await actie.pressSequentially('Proefactie Wonen met zorg')
    await expect.poll(async () => (await faceTexts(bram)).at(-1)).toBe('Proefactie Wonen met zorg')
    await expect
      .poll(() => bram.page.locator('.participants summary').textContent())
      .toContain('2 deelnemers')
    await screenshot(anouk.page, 'list-view')
  })

  it('[L3] two people typing in the same field at once both keep their text', async () => {
    const [anouk, bram] = suite.pages as [TestPage, TestPage]
    await anouk.page.keyboard.press('Escape')
    const mine = await openField(anouk, 'Proefactie Wonen met zorg', 'Doel')
    const theirs = await openField(bram, 'Proefactie Wonen met zorg', 'Doel')
    await Promise.all([
      mine.pressSequentially('Meer woningen. ', { delay: 15 }),
      theirs.pressSequentially('Met zorg! ', { delay: 15 }),
    ])
    // Every keystroke of both survives, on both screens. (Which characters end up next to which is up
    // to the CRDT when both type at the same place at once: runs may interleave, nothing may be lost.)
    const typed = 'Meer woningen. Met zorg! '
    await expect
      .poll(async () => {
        const [a, b] = [await mine.inputValue(), await theirs.inputValue()]
        return a === b && sameCharacters(a, typed)
      })
      .toBe(true)
    for (const { page } of [anouk, bram]) {
      await page.keyboard.press('Escape')
      await expect.poll(() => page.getByRole('dialog').count()).toBe(0)
    }
  })

  it('[L2] moving a card to the shortlist shows for the other and in the export', async () => {
    const [anouk, bram] = suite.pages as [TestPage, TestPage]
    await setBoardPhase(suite.app.url, board, 'selecteren', 'everyone')
    await anouk.page.locator('nav.phases[data-phase="selecteren"]').waitFor()
    const card = anouk.page.locator('section[data-lane="longlist"] article.card-face').last()
    await card.getByRole('button', { name: 'Naar Shortlist' }).click()
    await expect.poll(async () => (await faceTexts(bram, 'shortlist'))[0]).toBe('Proefactie Wonen met zorg')
    const res = await fetch(
      `${suite.app.url}/api/boards/${board.id}/export?lane=shortlist&token=${board.tokens.observer}`,
    )
    const exported = (await res.json()) as { cards: { fields: { actie: string; thema: string[] } }[] }
    expect(exported.cards.map((c) => c.fields.actie)).toEqual(['Proefactie Wonen met zorg'])
    expect(exported.cards[0]?.fields.thema).toEqual(['wonen'])
  })

  it('[L4] the list view moves a card with the keyboard alone', async () => {
    const [anouk] = suite.pages as [TestPage]
    const { page } = anouk
    const card = cardByText(anouk, 'Proefactie Wonen met zorg')
    await card.locator('button[data-action="open"]').focus()
    await page.keyboard.press('Alt+ArrowLeft')
    await expect
      .poll(async () => (await faceTexts(anouk, 'longlist')).at(-1))
      .toBe('Proefactie Wonen met zorg')
    // Tab to the card's "Naar Shortlist" button and press Enter: focus stays with the card.
    const button = cardByText(anouk, 'Proefactie Wonen met zorg').getByRole('button', {
      name: 'Naar Shortlist',
    })
    await button.focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('section[data-lane="shortlist"] article.card-face').count()).toBe(1)
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest('section')?.getAttribute('data-lane')))
      .toBe('shortlist')
    await expect.poll(() => page.locator('[aria-live="polite"]').textContent()).toContain('Shortlist')
  })

  it('[L5] edits made offline survive a reload and arrive when back online', async () => {
    const [anouk, bram] = suite.pages as [TestPage, TestPage]
    await setBoardPhase(suite.app.url, board, 'verzamelen')
    await bram.page.locator('nav.phases[data-phase="verzamelen"]').waitFor()
    const { page, context } = bram
    await page.evaluate(() => navigator.serviceWorker.ready)
    await copyWritten(page, board.id)
    await context.setOffline(true)
    await page.locator('[data-connection="offline"]').waitFor()
    const field = await openField(bram, 'Proefactie Wonen met zorg', 'Actie')
    await field.press('Control+End')
    await field.pressSequentially(' (offline toegevoegd)')
    await page.locator('[data-unsent]:not([data-unsent="0"])[data-saved-locally="true"]').waitFor()
    await page.reload()
    await page.locator('article.card-face').first().waitFor()
    await expect.poll(() => faceTexts(bram)).toContain('Proefactie Wonen met zorg (offline toegevoegd)')
    await context.setOffline(false)
    await page.locator('[data-connection="connected"]').waitFor()
    await expect.poll(() => faceTexts(anouk)).toContain('Proefactie Wonen met zorg (offline toegevoegd)')
  })

  it('[L6] nothing was requested from another origin', () => {
    for (const { foreignRequests } of suite.pages) expect(foreignRequests).toEqual([])
  })
})

/** The same characters, in any order: every keystroke kept, none added. */
function sameCharacters(a: string, b: string): boolean {
  return [...a].sort().join('') === [...b].sort().join('')
}
