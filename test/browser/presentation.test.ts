import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { expectNoAxeViolations } from '../helpers/axe.js'
import { BEAMER, browserSuite, LAPTOP, PHONE, screenshot, type TestPage } from '../helpers/browser.js'
import { type BoardInfo, createBoard } from '../helpers/server.js'

/**
 * Issue 9, part B: presentation mode for the beamer. The observer link on a beamer (1920×1080)
 * follows the facilitator (a laptop, 1440×900): phase, timer, spotlight, and the ranking once revealed.
 */

const suite = browserSuite()
let board: BoardInfo
let facilitator: TestPage
let beamer: TestPage

beforeAll(async () => {
  board = await createBoard(suite.app.url, 'pact-westfriesland-7.1', 'Werksessie Pact 7.1')
  facilitator = await suite.open('Fleur', 'list')
  await facilitator.page.setViewportSize(LAPTOP)
  beamer = await suite.open('Beamer', 'list')
  await beamer.page.setViewportSize(BEAMER)
  for (const [tp, role] of [
    [facilitator, 'facilitator'],
    [beamer, 'observer'],
  ] as const) {
    await tp.page.goto(`${suite.app.url}/b/${board.id}?token=${board.tokens[role]}`)
    await tp.page.locator('[data-connection="connected"]').waitFor()
    await tp.page.locator('article.card-face').nth(19).waitFor()
  }
}, 60_000)

const presentation = (page: Page) => page.locator('.presentation')

function castVote(voter: string, cardId: string) {
  return fetch(`${suite.app.url}/api/boards/${board.id}/votes`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${board.tokens.participant}`,
      'x-werkbord-voter': voter,
    },
    body: JSON.stringify({ cardId, delta: 1 }),
  })
}

/** The card ids by number, from the export. */
async function cardIds(): Promise<Map<number, string>> {
  const res = await fetch(
    `${suite.app.url}/api/boards/${board.id}/export?lane=all&token=${board.tokens.observer}`,
  )
  const exported = (await res.json()) as { cards: { id: string; number: number }[] }
  return new Map(exported.cards.map((card) => [card.number, card.id]))
}

/** Computed font sizes (px) of the card titles the presentation shows. */
const titleSizes = (page: Page) =>
  page
    .locator('.presentation .card-face-title, .presentation .ranking-title')
    .evaluateAll((els) => els.map((el) => Number.parseFloat(getComputedStyle(el).fontSize)))

describe('presentation mode on the beamer', () => {
  it('[PM1] the observer’s presentation follows the facilitator’s phase, timer, spotlight and reveal', async () => {
    // Only the facilitator and the observer have the switch.
    await beamer.page.getByRole('button', { name: 'Presenteren' }).click()
    await presentation(beamer.page).waitFor()
    expect(new URL(beamer.page.url()).hash).toBe('#presentatie')
    await expect.poll(() => presentation(beamer.page).locator('article.card-face').count()).toBe(20)
    expect(await presentation(beamer.page).locator('.presentation-phase').textContent()).toContain(
      'Verzamelen',
    )

    // Phase and timer: set by the facilitator on the laptop.
    await facilitator.page.locator('nav.phases button[data-phase="stemmen"]').click()
    await expect
      .poll(() => presentation(beamer.page).locator('.presentation-phase').textContent())
      .toContain('Stemmen')
    await facilitator.page.locator('button[data-action="timer-start"]').click()
    await expect
      .poll(async () =>
        Number(await presentation(beamer.page).locator('.timer').getAttribute('data-remaining-seconds')),
      )
      .toBeGreaterThan(200)

    // Spotlight: card 3, large.
    const ids = await cardIds()
    await facilitator.page
      .getByRole('article', { name: /^Actie 3:/ })
      .locator('[data-action="open"]')
      .click()
    await facilitator.page.locator('dialog[open] [data-action="spotlight"]').click()
    await facilitator.page.locator('dialog[open] [data-action="close"]').click()
    const spot = presentation(beamer.page).locator('.presentation-spotlight article.card-face')
    await expect.poll(() => spot.getAttribute('data-card-id')).toBe(ids.get(3))
    const spotTitle = await spot.locator('.card-face-title').evaluate((el) => getComputedStyle(el).fontSize)
    expect(Number.parseFloat(spotTitle)).toBeGreaterThanOrEqual(48)

    // Votes are hidden until the reveal; then the ranking, the most votes first.
    for (const voter of ['v1'.padEnd(32, 'a'), 'v2'.padEnd(32, 'b'), 'v3'.padEnd(32, 'c')])
      expect((await castVote(voter, ids.get(7) as string)).ok).toBe(true)
    expect((await castVote('v1'.padEnd(32, 'a'), ids.get(12) as string)).ok).toBe(true)
    expect(await presentation(beamer.page).locator('.ranking-list').count()).toBe(0)
    await facilitator.page.locator('button[data-action="reveal-votes"]').click()
    const ranking = presentation(beamer.page).locator('.ranking-list > li')
    await expect.poll(() => ranking.count()).toBeGreaterThan(1)
    expect(await ranking.first().textContent()).toContain('Vitalisering verblijfsrecreatie')
    await screenshot(beamer.page, 'presentation-beamer')
  })

  it('[PM2] large type, nothing to edit: card titles of 24 px or more at 1920×1080', async () => {
    const sizes = await titleSizes(beamer.page)
    console.log(`[figures] presentation titles at 1920×1080: ${Math.min(...sizes)}–${Math.max(...sizes)} px`)
    expect(sizes.length).toBeGreaterThan(1)
    for (const size of sizes) expect(size).toBeGreaterThanOrEqual(24)
    const controls = await presentation(beamer.page)
      .locator('input, textarea, select, button, [contenteditable="true"]')
      .evaluateAll((els) => els.map((el) => el.textContent?.trim() ?? el.tagName))
    expect(controls).toEqual(['Presentatie sluiten'])
    // The board behind is out of reach: nothing of it in the accessibility tree or the tab order.
    expect(await beamer.page.locator('.board').isHidden()).toBe(true)
  })

  it('[PM3] axe-core finds nothing in presentation mode at beamer, laptop and phone size, no sideways scrolling at 320 px; Esc closes it', async () => {
    await expectNoAxeViolations(beamer.page, 'presentation, beamer')
    await beamer.page.setViewportSize(LAPTOP)
    await screenshot(beamer.page, 'presentation-laptop')
    await beamer.page.setViewportSize(PHONE)
    await expectNoAxeViolations(beamer.page, 'presentation, phone')
    await screenshot(beamer.page, 'presentation-phone')
    // One column on a narrow screen: nothing to scroll sideways, down to 320 px.
    for (const width of [390, 320]) {
      await beamer.page.setViewportSize({ width, height: 844 })
      const sideways = await presentation(beamer.page).evaluate((el) => el.scrollWidth - el.clientWidth)
      expect(sideways, `${width} px`).toBeLessThanOrEqual(0)
    }
    await beamer.page.setViewportSize(BEAMER)
    // A reload keeps presenting (the beamer's browser may reload during a session).
    await beamer.page.reload()
    await presentation(beamer.page).waitFor()
    await beamer.page.keyboard.press('Escape')
    await expect.poll(() => presentation(beamer.page).count()).toBe(0)
    expect(new URL(beamer.page.url()).hash).toBe('')
    await beamer.page.locator('.board').waitFor()
  })

  it('[PM4] the facilitator can present too; a participant has no switch', async () => {
    await facilitator.page.getByRole('button', { name: 'Presenteren' }).click()
    await presentation(facilitator.page).waitFor()
    await expectNoAxeViolations(facilitator.page, 'presentation, facilitator')
    await facilitator.page.getByRole('button', { name: 'Presentatie sluiten' }).click()
    await expect.poll(() => presentation(facilitator.page).count()).toBe(0)
    const participant = await suite.open('Piet', 'list')
    await participant.page.goto(
      `${suite.app.url}/b/${board.id}?token=${board.tokens.participant}#presentatie`,
    )
    await participant.page.locator('article.card-face').first().waitFor()
    expect(await participant.page.getByRole('button', { name: 'Presenteren' }).count()).toBe(0)
    expect(await presentation(participant.page).count()).toBe(0)
    await participant.context.close()
  })
})
