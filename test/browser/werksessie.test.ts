import { beforeAll, describe, expect, it } from 'vitest'
import { browserSuite, screenshot, type TestPage } from '../helpers/browser.js'
import { type BoardInfo, createBoard } from '../helpers/server.js'

const suite = browserSuite()
let board: BoardInfo
let facilitator: TestPage
let participant: TestPage

beforeAll(async () => {
  board = await createBoard(suite.app.url, 'pact-westfriesland-7.1', 'Werksessie met stemmen')
  facilitator = await suite.open('Fleur (facilitator)', 'list')
  participant = await suite.open('Piet', 'list')
  await facilitator.page.goto(`${suite.app.url}/b/${board.id}?token=${board.tokens.facilitator}`)
  await participant.page.goto(`${suite.app.url}/b/${board.id}?token=${board.tokens.participant}`)
  for (const { page } of [facilitator, participant])
    await page.locator('[data-connection="connected"]').waitFor()
})

const card = (tp: TestPage, n: number) => tp.page.getByRole('article', { name: new RegExp(`^Actie ${n}:`) })

/** Opens card `n` in the detail editor. */
async function open(tp: TestPage, n: number) {
  await card(tp, n).locator('button[data-action="open"]').click()
  const dialog = tp.page.getByRole('dialog', { name: new RegExp(`^Actie ${n}:`) })
  await dialog.waitFor()
  return dialog
}

async function close(tp: TestPage) {
  await tp.page.keyboard.press('Escape')
  await expect.poll(() => tp.page.getByRole('dialog').count()).toBe(0)
}

describe('running the werksessie in Chromium', () => {
  it('[W1] the facilitator moves the phase on; the participant sees what it allows', async () => {
    await expect
      .poll(() => participant.page.locator('nav.phases').getAttribute('data-phase'))
      .toBe('verzamelen')
    expect(await card(participant, 3).getByRole('button', { name: 'Naar Shortlist' }).count()).toBe(0)
    await facilitator.page.locator('nav.phases button[data-phase="stemmen"]').click()
    await expect.poll(() => participant.page.locator('nav.phases').getAttribute('data-phase')).toBe('stemmen')
    // The card's fields are now text, not input boxes.
    const detail = await open(participant, 3)
    await expect.poll(() => detail.locator('textarea, input, select').count()).toBe(0)
    expect(await detail.locator('[data-field="actie"]').textContent()).toContain('Strategie werklocaties')
    await close(participant)
    expect(await participant.page.getByRole('button', { name: 'Nieuwe actie' }).count()).toBe(0)
  })

  it('[W2] the participant votes within the budget; hidden totals appear for all on reveal', async () => {
    await participant.page.locator('[data-remaining="5"]').waitFor()
    await card(participant, 12).locator('button[data-action="vote"]').click()
    await participant.page.locator('[data-remaining="4"]').waitFor()
    await card(participant, 7).locator('button[data-action="vote"]').click()
    await participant.page.locator('[data-remaining="3"]').waitFor()
    // One vote per card: the button is spent on card 12.
    expect(await card(participant, 12).locator('button[data-action="vote"]').isDisabled()).toBe(true)
    expect(await facilitator.page.locator('.vote-total').count()).toBe(0)
    await facilitator.page.locator('button[data-action="reveal-votes"]').click()
    await expect.poll(() => card(participant, 12).locator('.vote-total').textContent()).toBe('1 stem')
    await expect.poll(() => card(facilitator, 7).locator('.vote-total').textContent()).toBe('1 stem')
    await screenshot(participant.page, 'voting')
  })

  it('[W3] in Selecteren the facilitator shortlists the voted cards, and the export records votes and who moved them', async () => {
    await facilitator.page.locator('nav.phases button[data-phase="selecteren"]').click()
    await expect
      .poll(() => participant.page.locator('nav.phases').getAttribute('data-phase'))
      .toBe('selecteren')
    await facilitator.page.getByLabel('Sorteer op stemmen').check()
    // The group ticks the selection criteria on the card; the facilitator, filtering on that criterion,
    // sees the card appear as soon as it is ticked.
    const filter = facilitator.page.getByLabel(/Alleen kaarten die voldoen aan/)
    await filter.selectOption('regionaal')
    await expect.poll(() => card(facilitator, 12).count()).toBe(0)
    const detail = await open(participant, 12)
    await detail.locator('input[data-criterion="regionaal"]').check()
    await close(participant)
    await expect
      .poll(() => card(facilitator, 12).locator('[data-criterion="regionaal"]').getAttribute('data-met'))
      .toBe('true')
    await filter.selectOption('')
    for (const n of [12, 7])
      await card(facilitator, n).getByRole('button', { name: 'Naar Shortlist' }).click()
    await expect
      .poll(() => participant.page.locator('section[data-lane="shortlist"] article.card-face').count())
      .toBe(2)
    // The facilitator's export: an observer's leaves names out unless the facilitator allows them ([PV1]).
    const res = await fetch(
      `${suite.app.url}/api/boards/${board.id}/export?lane=shortlist&token=${board.tokens.facilitator}`,
    )
    const exported = (await res.json()) as {
      cards: { number: number; votes: number; selection: { by: string } }[]
    }
    expect(exported.cards.map((c) => [c.number, c.votes, c.selection.by])).toEqual([
      [12, 1, 'Fleur'], // the typed role is not part of the name others see (model/names.ts)
      [7, 1, 'Fleur'],
    ])
  })

  it('[W4] Afgerond: the participant can no longer change anything', async () => {
    await facilitator.page.locator('nav.phases button[data-phase="afgerond"]').click()
    await expect
      .poll(() => participant.page.locator('nav.phases').getAttribute('data-phase'))
      .toBe('afgerond')
    expect(await card(participant, 1).locator('button:not([data-action="open"])').count()).toBe(0)
    const detail = await open(participant, 1)
    expect(await detail.locator('textarea, input, select').count()).toBe(0)
    expect(await detail.locator('.card-detail-tools button').count()).toBe(0)
    await close(participant)
    expect(participant.foreignRequests).toEqual([])
  })

  it('[W5] the timer shows the same remaining time for everyone, and pauses for everyone', async () => {
    await facilitator.page.locator('.timer-controls input').fill('2')
    await facilitator.page.locator('button[data-action="timer-start"]').click()
    const seconds = async (tp: TestPage) =>
      Number(await tp.page.locator('.timer').getAttribute('data-remaining-seconds'))
    // Both pages run on this machine's clock: the moment each expects the end must agree (read one
    // after the other, remaining seconds could differ by however long the reading took).
    const endsAt = async (tp: TestPage) =>
      Number(await tp.page.locator('.timer').getAttribute('data-ends-at-local'))
    await expect.poll(() => participant.page.locator('.timer').getAttribute('data-running')).toBe('true')
    const [f, p] = [await endsAt(facilitator), await endsAt(participant)]
    expect(f).toBeGreaterThan(0)
    expect(Math.abs(f - p)).toBeLessThanOrEqual(1000)
    expect(await seconds(participant)).toBeGreaterThan(100)
    await facilitator.page.locator('button[data-action="timer-pause"]').click()
    await expect.poll(() => participant.page.locator('.timer').getAttribute('data-running')).toBe('false')
    expect(await seconds(participant)).toBe(await seconds(facilitator))
  })

  it('[W6] the facilitator puts a card in the spotlight for everyone', async () => {
    const detail = await open(facilitator, 5)
    await detail.locator('button[data-action="spotlight"]').click()
    await expect.poll(() => card(participant, 5).getAttribute('class')).toContain('spotlit')
    await detail.locator('button[data-action="spotlight"]').click()
    await expect.poll(() => card(participant, 5).getAttribute('class')).not.toContain('spotlit')
    await close(facilitator)
  })

  it('[W7] the facilitator links two cards as a koppelkans; everyone sees it, and the export carries it', async () => {
    const links = (await open(facilitator, 12)).locator('.link-add')
    await links.locator('select').first().selectOption('koppelkans')
    await links.getByLabel('met kaart').fill('7')
    await links.locator('button[data-action="link"]').click()
    await close(facilitator)
    const detail = await open(participant, 7)
    await expect.poll(() => detail.locator('.link-koppelkans').textContent()).toBe('Versterkt 12')
    await close(participant)
    const res = await fetch(
      `${suite.app.url}/api/boards/${board.id}/export?lane=all&token=${board.tokens.observer}`,
    )
    const exported = (await res.json()) as { links: unknown[] }
    expect(exported.links).toEqual([{ from: 12, to: 7, kind: 'koppelkans', note: '' }])
  })
})
