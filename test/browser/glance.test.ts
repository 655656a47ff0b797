import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { fieldText } from '../../model/cards.js'
import { resetTimer, startTimer } from '../../model/timer.js'
import { expectNoAxeViolations } from '../helpers/axe.js'
import { BEAMER, browserSuite, LAPTOP, NARROW, PHONE, screenshot, type TestPage } from '../helpers/browser.js'
import { connectClient } from '../helpers/clients.js'
import { sidewaysOverflow } from '../helpers/page-width.js'
import { countFaceRenders } from '../helpers/renders.js'
import { type BoardInfo, createBoard } from '../helpers/server.js'
import { wordsBrokenInside } from '../helpers/word-breaks.js'

/**
 * Issue 9, part A: the Pact 7.1 werksessie (20 actions) as a facilitator on a laptop (1440×900), a
 * participant on a phone (390×844) and the results on a beamer (1920×1080). The figures the issue
 * names are measured the same way and printed (`[figures] …`).
 */

const suite = browserSuite()
let board: BoardInfo
let facilitator: TestPage
let phone: TestPage

beforeAll(async () => {
  board = await createBoard(suite.app.url, 'pact-westfriesland-7.1', 'Werksessie Pact 7.1')
  facilitator = await suite.open('Fleur (facilitator)', 'list')
  await facilitator.page.setViewportSize(LAPTOP)
  phone = await suite.open('Piet', 'list')
  await phone.page.setViewportSize(PHONE)
  await facilitator.context.addInitScript(countFaceRenders)
  await facilitator.page.goto(`${suite.app.url}/b/${board.id}?token=${board.tokens.facilitator}`)
  await phone.page.goto(`${suite.app.url}/b/${board.id}?token=${board.tokens.participant}`)
  for (const { page } of [facilitator, phone]) {
    await page.locator('[data-connection="connected"]').waitFor()
    await page.locator('article.card-face').nth(19).waitFor()
  }
})

const face = (page: Page, n: number) => page.getByRole('article', { name: new RegExp(`^Actie ${n}:`) })

function figure(name: string, value: number | string): void {
  console.log(`[figures] ${name}: ${value}`)
}

/** Every card face lies fully inside the viewport (nothing to scroll to see a card); the lowest bottom. */
async function facesInView(page: Page): Promise<{ all: boolean; lowest: number; tallest: number }> {
  const boxes = await page.locator('article.card-face').evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect()
      return { top: r.top, bottom: r.bottom, height: r.height }
    }),
  )
  const height = await page.evaluate(() => window.innerHeight)
  return {
    all: boxes.length > 0 && boxes.every((b) => b.top >= 0 && b.bottom <= height),
    lowest: Math.round(Math.max(...boxes.map((b) => b.bottom))),
    tallest: Math.round(Math.max(...boxes.map((b) => b.height))),
  }
}

/** WCAG contrast ratio of two `rgb(…)` colours. */
function contrast(a: string, b: string): number {
  const luminance = (rgb: string) => {
    const [r, g, bl] = (rgb.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
    }) as [number, number, number]
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl
  }
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (hi + 0.05) / (lo + 0.05)
}

/** Focusable controls inside an element: what Tab stops on. */
function tabStops(page: Page, selector: string): Promise<number[]> {
  return page
    .locator(selector)
    .evaluateAll((els) =>
      els.map(
        (el) =>
          [
            ...el.querySelectorAll<HTMLElement>('button, a[href], input, select, textarea, [tabindex]'),
          ].filter(
            (c) => !(c as HTMLButtonElement).disabled && c.tabIndex >= 0 && c.getClientRects().length > 0,
          ).length,
      ),
    )
}

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

// axe-core runs and full-page screenshots of three screen sizes take a while on a busy machine.
describe('cards people take in at a glance, in Chromium', { timeout: 60_000 }, () => {
  it('[G1] start page and join screen: no axe violations; colours are named in words', async () => {
    const visitor = await suite.open()
    const { page } = visitor
    await page.setViewportSize(LAPTOP)
    await page.goto(suite.app.url)
    await page.getByRole('button', { name: 'Bord maken' }).waitFor()
    await expectNoAxeViolations(page, 'start page')
    await screenshot(page, 'glance-start-laptop')
    await page.setViewportSize(PHONE)
    await page.goto(`${suite.app.url}/b/${board.id}?token=${board.tokens.participant}`)
    await page.getByRole('heading', { name: 'Meedoen aan de werksessie' }).waitFor()
    const colours = await page
      .getByRole('radio')
      .evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')))
    expect(colours).toContain('blauw')
    expect(colours.filter((name) => name?.startsWith('#'))).toEqual([])
    await expectNoAxeViolations(page, 'join screen')
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0)
    await screenshot(page, 'glance-join-phone')
  })

  it('[G2] the facilitator sees all 20 Pact card faces at 1440×900 without scrolling, ≤ 4 Tab stops per card', async () => {
    const { page } = facilitator
    const faces = await facesInView(page)
    figure('laptop list view (Verzamelen): card face height (px, max)', faces.tallest)
    figure('laptop list view (Verzamelen): bottom of the lowest card (px, viewport 900)', faces.lowest)
    expect(faces.all).toBe(true)
    expect(await page.evaluate(() => window.scrollY)).toBe(0)
    const stops = await tabStops(page, 'article.card-face')
    figure('laptop list view: Tab stops per card (max)', Math.max(...stops))
    expect(Math.max(...stops)).toBeLessThanOrEqual(4)
    // A heading per lane and per card; a main landmark and a skip link.
    expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('Longlist'), expect.stringContaining('Shortlist')]),
    )
    expect(await page.locator('article.card-face h3').count()).toBe(20)
    expect(await page.getByRole('main').count()).toBe(1)
    await expectNoAxeViolations(page, 'list view (facilitator, laptop)')
    await screenshot(page, 'glance-list-laptop')
    // The phone in Verzamelen, the new-card form open: nothing sideways at 390 and at 320 px.
    await phone.page.getByRole('button', { name: 'Nieuwe actie' }).click()
    await phone.page.locator('form.new-card').waitFor()
    expect(await sidewaysOverflow(phone.page)).toBeLessThanOrEqual(0)
    await expectNoAxeViolations(phone.page, 'list view (participant, phone)')
    await screenshot(phone.page, 'glance-list-phone')
    await phone.page.setViewportSize(NARROW)
    expect(await sidewaysOverflow(phone.page)).toBeLessThanOrEqual(0)
    await screenshot(phone.page, 'glance-list-320')
    await phone.page.setViewportSize(PHONE)
    await phone.page.locator('form.new-card').getByRole('button', { name: 'Annuleren' }).click()
  })

  it('[G9] a remote edit renders only the card face that changed', async () => {
    const { page } = facilitator
    const id = (await face(page, 5).getAttribute('data-card-id')) as string
    const typist = connectClient(suite.app.url, board.id, board.tokens.participant)
    await typist.synced
    await page.evaluate(() => {
      ;(window as unknown as { __faceRenders: string[] }).__faceRenders.length = 0
    })
    const text = fieldText(typist.doc, id, 'actie')
    for (const char of ' (regio)') text.insert(text.length, char) // one update per keystroke
    await expect.poll(() => face(page, 5).locator('.card-face-text').textContent()).toContain('(regio)')
    const renders = await page.evaluate(
      () => (window as unknown as { __faceRenders: string[] }).__faceRenders,
    )
    figure('laptop list view: card faces rendered for 8 remote keystrokes in one card', renders.length)
    expect(renders.length).toBeGreaterThan(0)
    expect(new Set(renders)).toEqual(new Set([id]))
    text.delete(text.length - ' (regio)'.length, ' (regio)'.length)
    await expect.poll(() => face(page, 5).locator('.card-face-text').textContent()).not.toContain('(regio)')
    typist.destroy()
  })

  it('[G3] the detail editor works by keyboard alone: open with Enter, edit, Esc returns focus to the card', async () => {
    const { page } = facilitator
    // The skip link is the first Tab stop and jumps to the cards.
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Naar de kaarten')
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('cards')
    let presses = 0
    while (
      !(await page.evaluate(() => !!document.activeElement?.closest('article.card-face'))) &&
      presses < 20
    ) {
      await page.keyboard.press('Tab')
      presses++
    }
    // The focus ring: at least 3:1 against the white card it sits on (WCAG 1.4.11), at least 2 px wide.
    const ring = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement as Element)
      return {
        color: style.outlineColor,
        width: Number.parseFloat(style.outlineWidth),
        line: style.outlineStyle,
      }
    })
    figure('focus ring: contrast against white', contrast(ring.color, 'rgb(255, 255, 255)').toFixed(1))
    expect(ring.line).toBe('solid')
    expect(ring.width).toBeGreaterThanOrEqual(2)
    expect(contrast(ring.color, 'rgb(255, 255, 255)')).toBeGreaterThanOrEqual(3)
    const name = await page.evaluate(() =>
      document.activeElement?.closest('article')?.getAttribute('aria-label'),
    )
    expect(name).toMatch(/^Actie 1: /)
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: /^Actie 1: / })
    await dialog.waitFor()
    for (presses = 0; presses < 30; presses++) {
      if (await page.evaluate(() => document.activeElement?.getAttribute('aria-label') === 'Doel')) break
      await page.keyboard.press('Tab')
    }
    await page.keyboard.press('Control+End')
    await page.keyboard.type(' Met het onderwijs.')
    // The phone sees the edit (same Y.Text) in its own detail editor.
    await face(phone.page, 1)
      .getByRole('button', { name: /^Actie 1: / })
      .click()
    const theirs = phone.page.getByRole('dialog').locator('textarea[aria-label="Doel"]')
    // Who is editing shows on the card face for the others.
    await expect.poll(() => face(page, 1).locator('.card-face-editors').textContent()).toContain('Piet')
    await expect.poll(() => theirs.inputValue()).toContain('Met het onderwijs.')
    await screenshot(phone.page, 'glance-detail-phone')
    await phone.page.keyboard.press('Escape')
    await screenshot(page, 'glance-detail-laptop')
    await page.keyboard.press('Escape')
    await expect.poll(() => dialog.count()).toBe(0)
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest('article')?.getAttribute('aria-label')))
      .toMatch(/^Actie 1: /)
    await expect
      .poll(() =>
        phone.page.evaluate(() => document.activeElement?.closest('article')?.getAttribute('aria-label')),
      )
      .toMatch(/^Actie 1: /)
  })

  it('[G4] deleting asks to confirm first', async () => {
    const { page } = facilitator
    await face(page, 20)
      .getByRole('button', { name: /^Actie 20: / })
      .click()
    const dialog = page.getByRole('dialog')
    await dialog.getByRole('button', { name: 'Verwijderen', exact: true }).click()
    expect(await page.locator('article.card-face').count()).toBe(20)
    await dialog.getByRole('button', { name: 'Annuleren' }).click()
    expect(await page.locator('article.card-face').count()).toBe(20)
    await dialog.getByRole('button', { name: 'Verwijderen', exact: true }).click()
    await dialog.getByRole('button', { name: 'Ja, verwijderen' }).click()
    await expect.poll(() => phone.page.locator('article.card-face').count()).toBe(19)
    await expect.poll(() => dialog.count()).toBe(0)
    await page.getByText('Verwijderde kaarten (1)').click()
    await page.getByRole('button', { name: 'Herstellen' }).click()
    await expect.poll(() => phone.page.locator('article.card-face').count()).toBe(20)
  })

  it('[G5] phase changes are announced; in Stemmen the detail editor shows text, not input boxes', async () => {
    await facilitator.page.locator('nav.phases button[data-phase="stemmen"]').click()
    await expect
      .poll(() => phone.page.locator('[aria-live="polite"]').textContent())
      .toContain('Fase: Stemmen')
    // The facilitator (who may vote too) still sees every card, vote buttons and all.
    await facilitator.page.locator('button[data-action="vote"]').first().waitFor()
    const faces = await facesInView(facilitator.page)
    figure('laptop list view (Stemmen): card face height (px, max)', faces.tallest)
    figure('laptop list view (Stemmen): bottom of the lowest card (px, viewport 900)', faces.lowest)
    expect(faces.all).toBe(true)
    // Five to a row beside their vote buttons, titles still break between words.
    expect(await wordsBrokenInside(facilitator.page)).toEqual([])
    await screenshot(facilitator.page, 'glance-list-voting-laptop')
    await face(phone.page, 2)
      .getByRole('button', { name: /^Actie 2: / })
      .click()
    const dialog = phone.page.getByRole('dialog')
    await dialog.getByText('Doel', { exact: true }).waitFor()
    expect(await dialog.locator('textarea, input[type="text"], input:not([type])').count()).toBe(0)
    await phone.page.keyboard.press('Escape')
    await expect.poll(() => dialog.count()).toBe(0)
  })

  it('[G10] the end of the timer is announced to screen readers', async () => {
    const host = connectClient(suite.app.url, board.id, board.tokens.facilitator)
    await host.synced
    startTimer(host.doc, 1500, Date.now())
    await expect.poll(() => phone.page.locator('[aria-live="polite"]').textContent()).toBe('De tijd is om.')
    resetTimer(host.doc)
    await expect.poll(() => phone.page.locator('.timer-value').count()).toBe(0)
    host.destroy()
  })

  it('[G6] voting on a phone: named 44-px buttons, ≥ 6 cards per screen, "Nog N stemmen" in view, ≤ 3 screens of scrolling', async () => {
    const { page } = phone
    await page.locator('[data-remaining="5"]').waitFor()
    const buttons = page.locator('button[data-action="vote"]')
    expect(await buttons.count()).toBe(20)
    const sizes = await buttons.evaluateAll((els) =>
      els.map((el) => {
        const r = el.getBoundingClientRect()
        return { w: r.width, h: r.height, top: r.top, bottom: r.bottom }
      }),
    )
    expect(sizes.every((s) => s.w >= 44 && s.h >= 44)).toBe(true)
    expect(await face(page, 3).locator('button[data-action="vote"]').getAttribute('aria-label')).toMatch(
      /^Stem op 3: \S/,
    )
    // Cards per screen: card faces whose vote button is fully in the viewport, on a screen full of cards.
    await face(page, 5).scrollIntoViewIfNeeded()
    await page.evaluate(() =>
      window.scrollTo(0, document.querySelector('.list-view .lane')?.getBoundingClientRect().top ?? 0),
    )
    const perScreen = await buttons.evaluateAll(
      (els) =>
        els.filter((el) => {
          const r = el.getBoundingClientRect()
          return r.top >= 0 && r.bottom <= window.innerHeight
        }).length,
    )
    figure('phone: vote buttons fully visible per screen (390×844)', perScreen)
    expect(perScreen).toBeGreaterThanOrEqual(6)
    await page.evaluate(() => window.scrollTo(0, 0))

    // Five votes on cards spread over the list, scrolling only as far as each button needs.
    let scrolled = 0
    let taps = 0
    for (const n of [3, 8, 12, 16, 19]) {
      const before = await page.evaluate(() => window.scrollY)
      const button = face(page, n).locator('button[data-action="vote"]')
      await button.scrollIntoViewIfNeeded()
      scrolled += Math.abs((await page.evaluate(() => window.scrollY)) - before)
      await button.click()
      taps++
      await page.locator(`[data-remaining="${5 - taps}"]`).waitFor()
      // "Nog N stemmen" stays in view wherever the list is.
      const left = await page.locator('.votes-left').boundingBox()
      expect(left && left.y >= 0 && left.y + left.height <= PHONE.height).toBe(true)
    }
    figure('phone: scroll distance to vote on 5 of 20 cards (px)', Math.round(scrolled))
    figure('phone: scroll distance in screen heights', (scrolled / PHONE.height).toFixed(2))
    figure('phone: taps for 5 votes', taps)
    expect(scrolled).toBeLessThanOrEqual(3 * PHONE.height)
    expect(await page.locator('.votes-left').textContent()).toBe('Nog 0 stemmen')
    const stops = await tabStops(page, 'article.card-face')
    figure('phone: Tab stops per card while voting (max)', Math.max(...stops))
    expect(Math.max(...stops)).toBeLessThanOrEqual(4)
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0)
    await expectNoAxeViolations(page, 'phone voting')
    await page.evaluate(() => window.scrollTo(0, 0))
    await screenshot(page, 'glance-voting-phone')
    // With a vote on them, "1 stem van jou" and the buttons beside the text leave it room for whole words.
    expect(await wordsBrokenInside(page)).toEqual([])
    await page.setViewportSize(NARROW)
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0)
    expect(await wordsBrokenInside(page)).toEqual([])
    await screenshot(page, 'glance-voting-320')
    await page.setViewportSize(PHONE)
  })

  it('[G7] results: the count of voters before the reveal, then a ranking to shortlist five cards from in five clicks', async () => {
    const { page } = facilitator
    // Three more participants vote (through the API, as their phones would).
    const ids = await page
      .locator('article.card-face')
      .evaluateAll((els) => els.map((el) => [el.getAttribute('aria-label'), el.getAttribute('data-card-id')]))
    const idOf = (n: number) => ids.find(([label]) => label?.startsWith(`Actie ${n}:`))?.[1] as string
    for (const [v, cards] of [
      [1, [12, 7, 4, 3, 8]],
      [2, [12, 7, 4, 16, 1]],
      [3, [12, 7, 9, 16, 2]],
    ] as const) {
      for (const n of cards)
        expect((await castVote(`stemmer-${v}-${'x'.repeat(16)}`, idOf(n))).status).toBe(200)
    }
    await page.getByRole('radio', { name: 'Uitslag' }).check()
    const voters = page.locator('.ranking-voters')
    await expect.poll(() => voters.textContent()).toBe('4 deelnemers hebben gestemd')
    // Also beside the reveal button, in every view.
    expect(await page.locator('.voting-settings .voters').textContent()).toBe('4 deelnemers hebben gestemd')
    expect(await page.locator('.ranking-row').count()).toBe(0)
    await page.locator('button[data-action="reveal-votes"]').click()
    await expect.poll(() => page.locator('.ranking-row').count()).toBe(20)
    await expect
      .poll(() => phone.page.locator('[aria-live="polite"]').textContent())
      .toContain('De stemmen zijn zichtbaar')
    const totals = await page
      .locator('.ranking-row')
      .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-votes'))))
    expect(totals).toEqual([...totals].sort((a, b) => b - a))
    // Card 12 got a vote from the phone and from all three others.
    expect(totals[0]).toBe(4)
    expect(await page.locator('.ranking-row').first().getAttribute('data-card-id')).toBe(idOf(12))
    await expectNoAxeViolations(page, 'ranking')
    await screenshot(page, 'glance-ranking-laptop')
    // Selecting goes on in Selecteren: five clicks on the top five rows, no scrolling.
    await page.locator('nav.phases button[data-phase="selecteren"]').click()
    await page.locator('nav.phases[data-phase="selecteren"]').waitFor()
    // The list view in Selecteren, all 20 still on the longlist: every card in view.
    await page.getByRole('radio', { name: 'Lijst' }).check()
    await page.locator('button[data-action="move"]').first().waitFor()
    const faces = await facesInView(page)
    figure('laptop list view (Selecteren, 20 on the longlist): card face height (px, max)', faces.tallest)
    figure('laptop list view (Selecteren, 20 on the longlist): lowest card bottom (px)', faces.lowest)
    expect(faces.all).toBe(true)
    await screenshot(page, 'glance-list-selecting-start-laptop')
    await page.getByRole('radio', { name: 'Uitslag' }).check()
    const rows = page.locator('.ranking-row')
    await page.evaluate(() => window.scrollTo(0, 0))
    let clicks = 0
    for (let i = 0; i < 5; i++) {
      const button = rows.nth(i).locator('button[data-lane-target="shortlist"]')
      const box = await button.boundingBox()
      expect(box && box.y + box.height <= LAPTOP.height).toBe(true)
      await button.click({ noWaitAfter: true })
      clicks++
    }
    figure('ranking: clicks to put 5 cards on the shortlist', clicks)
    figure('ranking: page scrolled while selecting (px)', await page.evaluate(() => window.scrollY))
    expect(await page.evaluate(() => window.scrollY)).toBe(0)
    await expect.poll(() => page.locator('.ranking-row[data-lane="shortlist"]').count()).toBe(5)
    // The server has all five once the last move arrived; the shortlist holds the five most voted.
    const shortlisted = async () => {
      const res = await fetch(
        `${suite.app.url}/api/boards/${board.id}/export?lane=shortlist&token=${board.tokens.observer}`,
      )
      return ((await res.json()) as { cards: { votes: number }[] }).cards.map((c) => c.votes)
    }
    await expect.poll(shortlisted).toEqual(totals.slice(0, 5))
    await screenshot(page, 'glance-ranking-selected-laptop')
    await page.setViewportSize(BEAMER)
    await screenshot(page, 'glance-ranking-beamer')
    await page.setViewportSize(LAPTOP)
  })

  it('[G8] the list view after the reveal, on every screen size', async () => {
    const { page } = facilitator
    await page.getByRole('radio', { name: 'Lijst' }).check()
    await expect.poll(() => page.locator('section[data-lane="shortlist"] article.card-face').count()).toBe(5)
    const faces = await facesInView(page)
    figure('laptop list view (Selecteren): card face height (px, max)', faces.tallest)
    figure('laptop list view (Selecteren): bottom of the lowest card (px, viewport 900)', faces.lowest)
    expect(faces.all).toBe(true)
    await expectNoAxeViolations(page, 'list view after the reveal')
    await screenshot(page, 'glance-list-selecting-laptop')
    await page.setViewportSize(BEAMER)
    await screenshot(page, 'glance-list-beamer')
    await page.setViewportSize(LAPTOP)
    await screenshot(phone.page, 'glance-list-selecting-phone')
    expect(await sidewaysOverflow(phone.page)).toBeLessThanOrEqual(0)
  })
})
