import fs from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contrast } from '../../model/views/contrast.js'
import type { App } from '../../server/app.js'
import { projectRoot } from '../../server/paths.js'
import { axeViolations } from '../helpers/axe.js'
import {
  BEAMER,
  browserSuite,
  copyWritten,
  LAPTOP,
  openPage,
  PHONE,
  screenshot,
  type TestPage,
} from '../helpers/browser.js'
import { setBoardPhase } from '../helpers/phase.js'
import { type BoardInfo, createBoard, startServer } from '../helpers/server.js'

/**
 * Issue 9, point 10: an organisation's design tokens (THEME_CSS) restyle the app — colours and font on
 * the start page, the join screen, the list view and its controls — and everything stays accessible
 * (axe, contrast of text on the boards' theme colours, the focus ring) with our own look and with
 * docs/themes/voorbeeld-gemeente.css. One server per look: this file's suite runs the example theme.
 */

const exampleTheme = path.join(projectRoot, 'docs/themes/voorbeeld-gemeente.css')
const suite = browserSuite({ themeCss: exampleTheme })
let plain: App

interface Look {
  name: 'default' | 'example'
  font: RegExp
  page: string
  heading: string
  primary: string
  onPrimary: string
  buttonRadius: string
  textboxBorder: string
  /** An ordinary (secondary) button: text and border colour. */
  secondary: string
  secondaryBorder: string
  /** The board's header (NL Design System page header tokens, else the surface). */
  header: string
  /** A lane: 7 % of the text colour over the page colour (client/styles.css), as [r, g, b]. */
  lane: [number, number, number]
}

/** What the computed styles must be: our defaults (client/styles.css) and the example's tokens. */
const LOOKS: Look[] = [
  {
    name: 'default',
    font: /^system-ui/,
    page: 'rgb(245, 246, 248)',
    heading: 'rgb(29, 35, 48)',
    primary: 'rgb(43, 95, 168)',
    onPrimary: 'rgb(255, 255, 255)',
    buttonRadius: '6px',
    textboxBorder: 'rgb(118, 118, 118)',
    secondary: 'rgb(29, 35, 48)',
    secondaryBorder: 'rgb(213, 217, 224)',
    header: 'rgb(255, 255, 255)',
    lane: mix([29, 35, 48], 0.07, [245, 246, 248]),
  },
  {
    name: 'example',
    font: /^Georgia, "DejaVu Serif"/,
    page: 'rgb(246, 242, 234)',
    heading: 'rgb(11, 74, 59)',
    primary: 'rgb(11, 107, 82)',
    onPrimary: 'rgb(255, 255, 255)',
    buttonRadius: '0px',
    textboxBorder: 'rgb(11, 74, 59)',
    secondary: 'rgb(11, 107, 82)',
    secondaryBorder: 'rgb(11, 107, 82)',
    header: 'rgb(231, 241, 236)',
    lane: mix([27, 27, 27], 0.07, [246, 242, 234]),
  },
]

/** `share` of colour `a` over `b`, as CSS `color-mix(in srgb, a share, b)` computes it. */
function mix(a: number[], share: number, b: number[]): [number, number, number] {
  return [0, 1, 2].map((i) => (a[i] as number) * share + (b[i] as number) * (1 - share)) as [
    number,
    number,
    number,
  ]
}

const boards = new Map<Look['name'], { url: string; board: BoardInfo }>()

beforeAll(async () => {
  plain = await startServer()
  for (const [name, url] of [
    ['default', plain.url],
    ['example', suite.app.url],
  ] as const) {
    boards.set(name, { url, board: await createBoard(url, 'pact-westfriesland-7.1', 'Werksessie huisstijl') })
  }
})
afterAll(async () => {
  await plain?.close()
})

async function open(
  look: Look,
  viewport: { width: number; height: number },
  name?: string,
): Promise<TestPage> {
  const { url } = boards.get(look.name) as { url: string }
  const tp = await openPage(suite.browser, url, name, 'list')
  suite.pages.push(tp)
  await tp.page.setViewportSize(viewport)
  return tp
}

function boardLink(look: Look, role: 'participant' | 'facilitator' | 'observer'): string {
  const { url, board } = boards.get(look.name) as { url: string; board: BoardInfo }
  return `${url}/b/${board.id}?token=${board.tokens[role]}`
}

interface Computed {
  font: string
  color: string
  background: string
  radius: string
  border: string
}

async function computed(page: Page, selector: string): Promise<Computed> {
  return page
    .locator(selector)
    .first()
    .evaluate((el) => {
      const style = getComputedStyle(el)
      return {
        font: style.fontFamily,
        color: style.color,
        background: style.backgroundColor,
        radius: style.borderTopLeftRadius,
        border: style.borderTopColor,
      }
    })
}

const pageBackground = (page: Page) =>
  page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)

/** `rgb(r, g, b)` as `#rrggbb`, for the WCAG contrast of model/views/contrast.ts. */
function hex(rgb: string): string {
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number) as [number, number, number]
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`
}

/** A computed colour (`rgb(…)`, or `color(srgb …)` as Chromium gives a `color-mix()`) as [r, g, b] 0–255. */
function channels(css: string): [number, number, number] {
  const numbers = (css.match(/-?\d+(\.\d+)?(e-?\d+)?/g) ?? []).map(Number)
  const scale = css.startsWith('color(srgb') ? 255 : 1
  return [0, 1, 2].map((i) => (numbers[i] as number) * scale) as [number, number, number]
}

/** A computed colour as `#rrggbb`, whatever its notation. */
function hexOf(css: string): string {
  return `#${channels(css)
    .map((c) => Math.round(c).toString(16).padStart(2, '0'))
    .join('')}`
}

/** A dark theme's tokens, added on top of the page's: light ink on a dark page. */
const DARK_TOKENS = `:root {
  --utrecht-document-color: #f4f4f4;
  --utrecht-document-background-color: #121417;
  --utrecht-surface-background-color: #1f2329;
  --utrecht-heading-color: #ffffff;
  --utrecht-form-control-color: #ffffff;
  --utrecht-form-control-background-color: #1f2329;
}`

/** Text colour and background of the elements whose background is a board's theme colour (or its tint). */
function textOnThemeColours(page: Page, selector: string) {
  return page.locator(selector).evaluateAll((els) =>
    els.map((el) => {
      const style = getComputedStyle(el)
      return {
        theme: (el as HTMLElement).dataset.theme,
        color: style.color,
        background: style.backgroundColor,
      }
    }),
  )
}

async function expectNoAxeViolations(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page)
  if (violations.length > 0) console.log(`[axe] ${where}:`, JSON.stringify(violations, null, 1))
  expect(violations, where).toEqual([])
}

describe.each(LOOKS)('the $name look', (look) => {
  it(`[TH7] start page: the look's font, page colour, heading and primary button; axe finds nothing`, async () => {
    const { page } = await open(look, LAPTOP)
    await page.goto(`${boards.get(look.name)?.url}/`)
    await page.locator('form fieldset input[type="radio"]').first().waitFor()
    expect(await pageBackground(page)).toBe(look.page)
    const heading = await computed(page, 'h1')
    expect(heading.font).toMatch(look.font)
    expect(heading.color).toBe(look.heading)
    const create = await computed(page, 'button.utrecht-button--primary-action')
    expect(create.background).toBe(look.primary)
    expect(create.color).toBe(look.onPrimary)
    expect(create.radius).toBe(look.buttonRadius)
    expect(create.font).toMatch(look.font)
    const title = await computed(page, 'input[name="title"]')
    expect(title.border).toBe(look.textboxBorder)
    expect(title.font).toMatch(look.font)
    await expectNoAxeViolations(page, `start page (${look.name})`)
    await screenshot(page, `theme-${look.name}-start-laptop`)
    // The focus ring (Tab from the top) stands out at least 3:1 from the page (WCAG 1.4.11).
    await page.keyboard.press('Tab')
    const ring = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement
      const style = getComputedStyle(el)
      return {
        color: style.outlineColor,
        width: Number.parseFloat(style.outlineWidth),
        style: style.outlineStyle,
      }
    })
    expect(ring.style).toBe('solid')
    expect(ring.width).toBeGreaterThanOrEqual(2)
    expect(contrast(hex(ring.color), hex(look.page))).toBeGreaterThanOrEqual(3)
  }, 60_000)

  it(`[TH8] join screen and list view take the look; axe finds nothing on either`, async () => {
    const { page } = await open(look, PHONE)
    await page.goto(boardLink(look, 'participant'))
    const name = page.locator('input[autocomplete="name"]')
    await name.waitFor()
    expect(await pageBackground(page)).toBe(look.page)
    expect((await computed(page, 'h1')).font).toMatch(look.font)
    expect((await computed(page, 'h1')).color).toBe(look.heading)
    const textbox = await computed(page, 'input[autocomplete="name"]')
    expect(textbox.border).toBe(look.textboxBorder)
    expect(textbox.font).toMatch(look.font)
    const join = await computed(page, 'button[type="submit"]')
    expect(join.background).toBe(look.primary)
    expect(join.radius).toBe(look.buttonRadius)
    await expectNoAxeViolations(page, `join screen (${look.name})`)
    await screenshot(page, `theme-${look.name}-join-phone`)

    await name.fill('Sanne')
    await page.locator('button[type="submit"]').click()
    await page.locator('[data-connection="connected"]').waitFor()
    await page.locator('article.card-face').nth(19).waitFor()
    await page.setViewportSize(LAPTOP)
    expect(await pageBackground(page)).toBe(look.page)
    const newCard = await computed(page, 'button.utrecht-button--primary-action')
    expect(newCard.background).toBe(look.primary)
    expect(newCard.font).toMatch(look.font)
    expect((await computed(page, 'article.card-face .card-face-text')).font).toMatch(look.font)
    await expectNoAxeViolations(page, `list view (${look.name})`)
    await screenshot(page, `theme-${look.name}-laptop`)
  }, 60_000)

  it(`[TH9] text on every theme colour of the board (matrix ticks, planning cells) contrasts at least 4.5:1`, async () => {
    const { page } = await open(look, LAPTOP, 'Fleur (facilitator)')
    await page.goto(boardLink(look, 'facilitator'))
    await page.locator('[data-connection="connected"]').waitFor()
    await page.getByRole('radio', { name: 'Matrix' }).check()
    const table = page.locator('table.matrix')
    await table.locator('tbody tr').nth(19).waitFor()
    const themeIds = await table
      .locator('tbody tr')
      .first()
      .locator('button.mark')
      .evaluateAll((marks) => marks.map((mark) => (mark as HTMLElement).dataset.theme as string))
    expect(themeIds.length).toBe(6)
    // Every theme ticked somewhere: the first row takes the ones no card has yet (a real click each).
    for (const theme of themeIds) {
      if ((await table.locator(`button.mark[data-theme="${theme}"][data-on="true"]`).count()) > 0) continue
      await table.locator('tbody tr').first().locator(`button.mark[data-theme="${theme}"]`).click()
      await table.locator(`button.mark[data-theme="${theme}"][data-on="true"]`).first().waitFor()
    }
    // The same text with the tokens of a dark theme on top (light ink on a dark page): the colours on
    // the boards' theme colours come from those colours alone, so they stay readable.
    for (const tokens of ['', DARK_TOKENS]) {
      const where = `${look.name}${tokens ? ' + dark tokens' : ''}`
      if (tokens) await page.addStyleTag({ content: tokens })
      await page.getByRole('radio', { name: 'Matrix' }).check()
      await table.locator('button.mark[data-on="true"]').first().waitFor() // the views load on demand
      const ticks = await textOnThemeColours(page, 'table.matrix button.mark[data-on="true"]')
      if (!tokens) await screenshot(page, `theme-${look.name}-matrix-laptop`)
      expect(new Set(ticks.map((tick) => tick.theme))).toEqual(new Set(themeIds))
      await page.getByRole('radio', { name: 'Planning' }).check()
      await page.locator('table.planning td.filled').first().waitFor()
      const cells = await textOnThemeColours(page, 'table.planning td.filled')
      expect(cells.length).toBeGreaterThan(0)
      for (const cell of [...ticks, ...cells]) {
        expect(
          contrast(hex(cell.color), hex(cell.background)),
          `${where}: ${JSON.stringify(cell)}`,
        ).toBeGreaterThanOrEqual(4.5)
      }
      const lowest = Math.min(...[...ticks, ...cells].map((c) => contrast(hex(c.color), hex(c.background))))
      console.log(
        `[figures] ${where}: ${ticks.length} ticked matrix cells, ${cells.length} planning cells, lowest contrast ${lowest.toFixed(2)}:1`,
      )
    }
  }, 60_000)

  it(`[TH10] a participant votes on a phone: axe finds nothing`, async () => {
    const { board, url } = boards.get(look.name) as { url: string; board: BoardInfo }
    await setBoardPhase(url, board, 'stemmen')
    const { page } = await open(look, PHONE, 'Piet')
    await page.goto(boardLink(look, 'participant'))
    await page.locator('[data-connection="connected"]').waitFor()
    const vote = page.locator('article.card-face button[data-action="vote"]')
    await vote.first().waitFor()
    await vote.first().click()
    await expect.poll(() => page.locator('article.card-face button[data-action="unvote"]').count()).toBe(1)
    const button = await computed(page, 'article.card-face button[data-action="vote"]:not(:disabled)')
    expect(button.background).toBe(look.primary)
    await expectNoAxeViolations(page, `phone voting (${look.name})`)
    await screenshot(page, `theme-${look.name}-phone`)
  }, 60_000)

  it(`[TH14] the facilitator's board takes the look beyond the primary actions: the header, a lane, ordinary buttons and a panel's fields; the focus ring stands out 3:1 on the header`, async () => {
    const { page, context } = await open(look, LAPTOP, 'Fleur (facilitator)')
    await page.goto(boardLink(look, 'facilitator'))
    await page.locator('[data-connection="connected"]').waitFor()
    await page.getByRole('radio', { name: 'Lijst' }).check()
    await page.locator('article.card-face').first().waitFor()
    const header = await computed(page, 'header.board-head')
    expect(header.background).toBe(look.header)
    const lane = await computed(page, 'section.lane')
    const [r, g, b] = channels(lane.background)
    for (const [got, want] of [
      [r, look.lane[0]],
      [g, look.lane[1]],
      [b, look.lane[2]],
    ] as const)
      expect(Math.abs(got - want), `lane ${lane.background} vs ${look.lane}`).toBeLessThanOrEqual(1)
    // An ordinary button in the header: the secondary-action tokens, the theme's font and corners.
    const present = await computed(page, 'button[data-action="present"]')
    expect(present.color).toBe(look.secondary)
    expect(present.border).toBe(look.secondaryBorder)
    expect(present.radius).toBe(look.buttonRadius)
    expect(present.font).toMatch(look.font)
    expect(contrast(hexOf(present.color), hexOf(present.background))).toBeGreaterThanOrEqual(4.5)
    // A panel: its text fields and buttons take the same tokens.
    await page.locator('details.invitations > summary').click()
    const name = await computed(page, 'details.invitations input[name="invitee-name"]')
    expect(name.border).toBe(look.textboxBorder)
    expect(name.font).toMatch(look.font)
    const add = await computed(page, 'details.invitations form button[type="submit"]')
    expect(add.color).toBe(look.secondary)
    expect(add.border).toBe(look.secondaryBorder)
    await expectNoAxeViolations(page, `invitations panel open (${look.name})`)
    await screenshot(page, `theme-${look.name}-panel-laptop`)
    await page.locator('details.invitations > summary').click()
    await page.locator('details.exchange > summary').click()
    await page.locator('details.exchange select').first().waitFor()
    const select = await computed(page, 'details.exchange select')
    expect(select.border).toBe(look.textboxBorder)
    await expectNoAxeViolations(page, `exchange panel open (${look.name})`)
    await screenshot(page, `theme-${look.name}-exchange-laptop`)
    await page.locator('details.exchange > summary').click()
    // The focus ring on an ordinary button in the header: 3:1 against the header.
    await page.locator('button[data-action="present"]').focus()
    await page.keyboard.press('Shift+Tab')
    await page.keyboard.press('Tab')
    const ring = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement as HTMLElement)
      return {
        color: style.outlineColor,
        width: Number.parseFloat(style.outlineWidth),
        action: (document.activeElement as HTMLElement).dataset.action,
      }
    })
    expect(ring.action).toBe('present')
    expect(ring.width).toBeGreaterThanOrEqual(2)
    expect(contrast(hexOf(ring.color), hexOf(header.background))).toBeGreaterThanOrEqual(3)
    // The card editor: its buttons are ordinary ones too.
    await page.locator('article.card-face button.card-open').first().click()
    await page.locator('dialog.card-detail[open]').waitFor()
    const close = await computed(page, 'dialog.card-detail button[data-action="close"]')
    expect(close.color).toBe(look.secondary)
    expect(close.border).toBe(look.secondaryBorder)
    // Its text fields: the theme's field border, standing out 3:1 from the field (WCAG 1.4.11).
    const actie = await computed(page, 'dialog.card-detail textarea')
    expect(actie.border).toBe(look.textboxBorder)
    expect(contrast(hexOf(actie.border), hexOf(actie.background))).toBeGreaterThanOrEqual(3)
    await expectNoAxeViolations(page, `card editor (${look.name})`)
    await screenshot(page, `theme-${look.name}-editor-laptop`)
    await context.close() // a facilitator page fewer for the tests after it
  }, 60_000)

  it(`[TH15] results, presentation and canvas take the look; axe finds nothing on any`, async () => {
    const { page, context } = await open(look, LAPTOP, 'Fleur (facilitator)')
    await page.goto(boardLink(look, 'facilitator'))
    await page.locator('[data-connection="connected"]').waitFor()
    await page.getByRole('radio', { name: 'Uitslag' }).check()
    const reveal = page.locator('button[data-action="reveal-votes"]')
    if ((await reveal.count()) > 0) await reveal.click()
    await page.locator('.ranking-row').first().waitFor()
    const move = await computed(page, '.ranking-row button[data-action="move"]')
    expect(move.color).toBe(look.secondary)
    expect(move.border).toBe(look.secondaryBorder)
    await expectNoAxeViolations(page, `results (${look.name})`)
    await screenshot(page, `theme-${look.name}-results-laptop`)

    await page.getByRole('radio', { name: 'Canvas' }).check()
    await page.locator('.canvas-card').first().waitFor()
    expect((await computed(page, '.canvas-card .card-face-text')).font).toMatch(look.font)
    const arrange = await computed(page, 'button[data-action="arrange-by-theme"]')
    expect(arrange.color).toBe(look.secondary)
    await expectNoAxeViolations(page, `canvas (${look.name})`)
    await screenshot(page, `theme-${look.name}-canvas-laptop`)

    await page.setViewportSize(BEAMER)
    await page.locator('button[data-action="present"]').click()
    await page.locator('.presentation').waitFor()
    expect((await computed(page, '.presentation')).font).toMatch(look.font)
    await expectNoAxeViolations(page, `presentation with the ranking (${look.name})`)
    await screenshot(page, `theme-${look.name}-presentation-beamer`)
    await context.close() // a facilitator page fewer for the tests after it
  }, 120_000)
})

describe('the example look on the beamer', () => {
  it('[TH11] the presentation takes the theme font and colours; axe finds nothing', async () => {
    const look = LOOKS[1] as Look
    const { page } = await open(look, BEAMER, 'Beamer')
    await page.goto(`${boardLink(look, 'observer')}#presentatie`)
    await page.locator('.presentation').waitFor()
    expect((await computed(page, '.presentation')).font).toMatch(look.font)
    await expectNoAxeViolations(page, 'presentation (example)')
    await screenshot(page, 'theme-example-beamer')
  }, 60_000)
})

describe('the example look offline', () => {
  it('[TH12] the service worker keeps the theme with the app shell: a reload offline keeps the huisstijl', async () => {
    const look = LOOKS[1] as Look
    const { page, context } = await open(look, PHONE, 'Olga')
    await page.goto(boardLink(look, 'participant'))
    await page.locator('article.card-face').first().waitFor()
    await page.evaluate(() => navigator.serviceWorker.ready)
    await copyWritten(page, (boards.get(look.name) as { board: BoardInfo }).board.id)
    await context.setOffline(true)
    await page.locator('[data-connection="offline"]').waitFor()
    await page.reload()
    await page.locator('article.card-face').first().waitFor()
    expect(await pageBackground(page)).toBe(look.page)
    expect((await computed(page, 'article.card-face .card-face-text')).font).toMatch(look.font)
    await context.setOffline(false)
  }, 60_000)
})

describe('the dark example', () => {
  const dark = fs.readFileSync(path.join(projectRoot, 'docs/themes/donker.css'), 'utf8')
  it('[TH16] docs/themes/donker.css: header, lanes, ordinary buttons and panels turn dark; axe finds nothing with a panel open, on the results and on a phone', async () => {
    const look = LOOKS[0] as Look
    const { board, url } = boards.get(look.name) as { url: string; board: BoardInfo }
    await setBoardPhase(url, board, 'stemmen')
    const { page, context } = await open(look, LAPTOP, 'Fleur (facilitator)')
    await page.goto(boardLink(look, 'facilitator'))
    await page.locator('[data-connection="connected"]').waitFor()
    await page.addStyleTag({ content: dark })
    await page.getByRole('radio', { name: 'Lijst' }).check()
    await page.locator('article.card-face').first().waitFor()
    // Only tokens in the file: Werkbord's own surfaces follow from them.
    expect(hexOf((await computed(page, 'header.board-head')).background)).toBe('#22272e')
    const lane = channels((await computed(page, 'section.lane')).background)
    const want = mix([238, 241, 244], 0.07, [20, 23, 27])
    for (const i of [0, 1, 2])
      expect(Math.abs((lane[i] as number) - (want[i] as number))).toBeLessThanOrEqual(1)
    const present = await computed(page, 'button[data-action="present"]')
    expect(hexOf(present.color)).toBe('#eef1f4')
    expect(hexOf(present.background)).toBe('#22272e')
    await page.locator('details.invitations > summary').click()
    const name = await computed(page, 'details.invitations input[name="invitee-name"]')
    expect(hexOf(name.background)).toBe('#14171b')
    expect(hexOf(name.color)).toBe('#eef1f4')
    await expectNoAxeViolations(page, 'invitations panel open (dark)')
    await screenshot(page, 'theme-dark-panel-laptop')
    await page.locator('details.invitations > summary').click()
    await page.getByRole('radio', { name: 'Uitslag' }).check()
    const reveal = page.locator('button[data-action="reveal-votes"]')
    await reveal.or(page.locator('button[data-action="hide-votes"]')).waitFor()
    if ((await reveal.count()) > 0) await reveal.click()
    await page.locator('.ranking-row').first().waitFor()
    await expectNoAxeViolations(page, 'results (dark)')
    await screenshot(page, 'theme-dark-results-laptop')
    await context.close()

    const phone = await open(look, PHONE, 'Noor')
    await phone.page.goto(boardLink(look, 'participant'))
    await phone.page.locator('[data-connection="connected"]').waitFor()
    await phone.page.addStyleTag({ content: dark })
    await phone.page.locator('article.card-face').nth(19).waitFor()
    await expectNoAxeViolations(phone.page, 'phone list (dark)')
    await screenshot(phone.page, 'theme-dark-phone')
    await phone.context.close()
  }, 120_000)
})
