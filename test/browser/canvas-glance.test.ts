import fs from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { projectRoot } from '../../server/paths.js'
import { expectNoAxeViolations } from '../helpers/axe.js'
import { BEAMER, browserSuite, LAPTOP, PHONE, screenshot, type TestPage } from '../helpers/browser.js'
import { setBoardPhase } from '../helpers/phase.js'
import { type BoardInfo, createBoard } from '../helpers/server.js'
import { wordsBrokenInside } from '../helpers/word-breaks.js'

/**
 * Issue 9, part B: the canvas with the Pact 7.1 werksessie (20 actions) — the facilitator on a laptop
 * (1440×900), the observer link on a beamer (1920×1080), a participant on a phone (390×844).
 */
/** Opening a canvas (tldraw's chunk, 20 shapes) takes seconds on a loaded 2-core machine. */
const OPENING = 90_000

const suite = browserSuite()
let board: BoardInfo
let facilitator: TestPage
let observer: TestPage

type EditorLike = {
  getZoomLevel(): number
  getCurrentToolId(): string
  setCamera(camera: { x: number; y: number; z: number }): void
  getCurrentPageShapes(): { type: string; x: number; y: number; props: { cardId?: string } }[]
}
type WithEditor = { werkbordEditor: EditorLike }

async function onCanvas(
  role: keyof BoardInfo['tokens'],
  name: string,
  viewport: { width: number; height: number },
): Promise<TestPage> {
  const tp = await suite.open(name, 'canvas')
  await tp.page.setViewportSize(viewport)
  await tp.page.goto(`${suite.app.url}/b/${board.id}?token=${board.tokens[role]}`)
  await tp.page.locator('[data-connection="connected"]').waitFor()
  await tp.page.locator('.canvas-lane[data-lane="shortlist"]').waitFor()
  return tp
}

beforeAll(async () => {
  board = await createBoard(suite.app.url, 'pact-westfriesland-7.1', 'Werksessie Pact 7.1')
  facilitator = await onCanvas('facilitator', 'Fleur', LAPTOP)
  observer = await onCanvas('observer', 'Beamer', BEAMER)
}, OPENING)

const cards = (page: Page) => page.locator('.canvas-card')
const card = (page: Page, n: number) =>
  page.locator('.canvas-card').filter({ has: page.locator(`.card-number:text-is("${n}")`) })
const tool = (page: Page) =>
  page.evaluate(() => (window as unknown as WithEditor).werkbordEditor.getCurrentToolId())

/** Per card title: on-screen font size (px) and whether it lies inside the canvas's visible area, uncovered. */
function titlesOnScreen(page: Page) {
  return page.evaluate(() => {
    const zoom = (window as unknown as WithEditor).werkbordEditor.getZoomLevel()
    const area = (document.querySelector('.canvas') as HTMLElement).getBoundingClientRect()
    return [...document.querySelectorAll<HTMLElement>('.canvas-card .card-face-title')].map((title) => {
      const box = title.getBoundingClientRect()
      // What is on top at the middle of the title: the card itself, not a panel or toolbar over it.
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2)
      return {
        px: Number.parseFloat(getComputedStyle(title).fontSize) * zoom,
        inView:
          box.left >= area.left &&
          box.right <= area.right &&
          box.top >= area.top &&
          box.bottom <= area.bottom &&
          hit?.closest('.canvas-card') === title.closest('.canvas-card'),
      }
    })
  })
}

describe('the canvas at a glance (Pact 7.1, 20 cards)', () => {
  it(
    '[C9] the observer sees every card on the canvas, and so does a participant reloading in Afgerond',
    async () => {
      await expect.poll(() => cards(observer.page).count()).toBe(20)
      expect(await card(observer.page, 20).locator('.card-face-text').innerText()).not.toBe('')
      await setBoardPhase(suite.app.url, board, 'afgerond')
      const late = await onCanvas('participant', 'Piet', LAPTOP)
      await late.page.locator('nav.phases[data-phase="afgerond"]').waitFor()
      await expect.poll(() => cards(late.page).count()).toBe(20)
      await late.page.reload()
      await late.page.locator('.canvas-lane[data-lane="shortlist"]').waitFor()
      await expect.poll(() => cards(late.page).count()).toBe(20)
      await setBoardPhase(suite.app.url, board, 'verzamelen')
      await facilitator.page.locator('nav.phases[data-phase="verzamelen"]').waitFor()
    },
    OPENING,
  )

  it(
    '[C10] the first view on a laptop shows all 20 titles at 12 px or more, none under a panel or toolbar; the style panel is folded away',
    async () => {
      const fresh = await onCanvas('facilitator', 'Fleur', LAPTOP)
      await expect.poll(() => cards(fresh.page).count()).toBe(20)
      const titles = await titlesOnScreen(fresh.page)
      console.log(
        `[figures] canvas first view 1440×900: ${titles.filter((t) => t.inView).length} of 20 titles in view, at ${titles[0]?.px.toFixed(1)} px`,
      )
      expect(titles.filter((title) => title.inView)).toHaveLength(20)
      for (const title of titles) expect(title.px).toBeGreaterThanOrEqual(12)
      expect(await fresh.page.locator('.tlui-style-panel').count()).toBe(0)
      await screenshot(fresh.page, 'canvas-laptop-first-view')
      const toggle = fresh.page.getByRole('button', { name: 'Stijl' })
      expect(await toggle.getAttribute('aria-expanded')).toBe('false')
      await toggle.click()
      await fresh.page.locator('.tlui-style-panel').waitFor()
      await screenshot(fresh.page, 'canvas-laptop-style-panel-open')
    },
    OPENING,
  )

  it('[C11] a new card appears in view with its editor open and focused; typing a title changes no tool', async () => {
    const page = facilitator.page
    // Look elsewhere first: the new card lands at the end of the longlist, off this view.
    // setCamera returns the editor, which cannot travel back to Node: return nothing.
    await page.evaluate(() => {
      ;(window as unknown as WithEditor).werkbordEditor.setCamera({ x: 3000, y: 2000, z: 1 })
    })
    await page.getByRole('button', { name: 'Nieuwe actie' }).click()
    await page.getByLabel('Kies eerst een thema').selectOption({ index: 1 })
    await page.getByRole('button', { name: 'Toevoegen' }).click()
    await card(page, 21).waitFor()
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Actie')
    // "Laser" and "sticky" carry tldraw's tool keys (k, n, l …): none may switch a tool.
    await page.keyboard.type('Laser en sticky notes kennen geen sneltoetsen')
    expect(await tool(page)).toBe('select')
    await expect
      .poll(() => card(page, 21).locator('.card-face-text').innerText())
      .toBe('Laser en sticky notes kennen geen sneltoetsen')
    // In view, beside the editor (a panel over the right of the screen).
    const shown = await page.evaluate(() => {
      const face = document.querySelector('.canvas-card:has(.card-face[aria-label^="Actie 21:"])')
      const canvas = document.querySelector('.canvas')?.getBoundingClientRect()
      const panel = document.querySelector('dialog[open]')?.getBoundingClientRect()
      const box = face?.getBoundingClientRect()
      if (!box || !canvas || !panel) return null
      return (
        box.left >= canvas.left &&
        box.right <= panel.left &&
        box.top >= canvas.top &&
        box.bottom <= canvas.bottom
      )
    })
    expect(shown).toBe(true)
    // Keys on the editor's other controls (a theme's checkbox, a button) stay there too.
    await page.locator('dialog[open] input[type="checkbox"]').first().focus()
    for (const key of ['d', 'r', 'k', 'n', 'e']) await page.keyboard.press(key)
    expect(await tool(page)).toBe('select')
    await screenshot(page, 'canvas-laptop-new-card')
    await page.locator('dialog[open] [data-action="close"]').click()
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest('.canvas-card') !== null))
      .toBe(true)
    // The card's own title button has the focus: Enter opens it again, Tab moves on, tldraw keeps out.
    for (const key of ['d', 'k']) await page.keyboard.press(key)
    expect(await tool(page)).toBe('select')
  })

  it('[C12] "Ordenen op thema" groups a lane’s cards by theme, in the template’s theme order', async () => {
    const page = facilitator.page
    const arrange = page.locator('.canvas-lane[data-lane="longlist"] [data-action="arrange-by-theme"]')
    // setCamera returns the editor, which cannot travel back to Node: return nothing.
    await page.evaluate(() => {
      ;(window as unknown as WithEditor).werkbordEditor.setCamera({ x: 0, y: 0, z: 0.6 })
    })
    await arrange.click()
    const exported = (await (
      await fetch(`${suite.app.url}/api/boards/${board.id}/export?lane=all&token=${board.tokens.observer}`)
    ).json()) as { cards: { id: string; lane: string; fields: { thema?: string[] } }[] }
    const template = JSON.parse(
      fs.readFileSync(path.join(projectRoot, 'templates/pact-westfriesland-7.1.json'), 'utf8'),
    ) as { themes: { id: string }[] }
    const rank = new Map(
      exported.cards.map((c) => {
        const i = template.themes.findIndex((theme) => theme.id === c.fields.thema?.[0])
        return [c.id, i === -1 ? template.themes.length : i]
      }),
    )
    const longlist = exported.cards.filter((c) => c.lane === 'longlist').map((c) => c.id)
    // Reading the lane row by row (shapes' page positions), the themes come in template order.
    const readingOrder = () =>
      page.evaluate((ids) => {
        const shapes = (window as unknown as WithEditor).werkbordEditor
          .getCurrentPageShapes()
          .filter((shape) => ids.includes(shape.props.cardId ?? ''))
        return shapes.sort((a, b) => a.y - b.y || a.x - b.x).map((shape) => shape.props.cardId as string)
      }, longlist)
    await expect
      .poll(async () => {
        const order = (await readingOrder()).map((id) => rank.get(id) ?? -1)
        return order.length === longlist.length && order.every((r, i) => i === 0 || r >= (order[i - 1] ?? 0))
      })
      .toBe(true)
    // Every group starts a row of its own.
    const rows = await page.evaluate((ids) => {
      const byRow = new Map<number, string[]>()
      for (const shape of (window as unknown as WithEditor).werkbordEditor.getCurrentPageShapes())
        if (ids.includes(shape.props.cardId ?? ''))
          byRow.set(shape.y, [...(byRow.get(shape.y) ?? []), shape.props.cardId as string])
      return [...byRow.values()]
    }, longlist)
    for (const row of rows) expect(new Set(row.map((id) => rank.get(id))).size).toBe(1)
    await screenshot(page, 'canvas-laptop-by-theme')
  })

  it(
    '[C13] axe-core finds nothing on the canvas (facilitator, observer), at laptop, beamer and phone size',
    async () => {
      await expectNoAxeViolations(facilitator.page, 'canvas, facilitator, laptop')
      await expectNoAxeViolations(observer.page, 'canvas, observer, beamer')
      await screenshot(observer.page, 'canvas-beamer-observer')
      const phone = await onCanvas('participant', 'Pien', PHONE)
      await expect.poll(() => cards(phone.page).count()).toBeGreaterThanOrEqual(20)
      await expectNoAxeViolations(phone.page, 'canvas, participant, phone')
      await screenshot(phone.page, 'canvas-phone')
    },
    OPENING,
  )

  it(
    '[C14] voting on the canvas: every card shows its vote button in its face, without scrolling inside the card, and titles break between words',
    async () => {
      await setBoardPhase(suite.app.url, board, 'stemmen')
      const { page } = facilitator
      await page.locator('nav.phases[data-phase="stemmen"]').waitFor()
      // The Pact's 20 cards and the one [C11] made.
      const total = await cards(page).count()
      expect(total).toBeGreaterThanOrEqual(20)
      const buttons = page.locator('.canvas-card button[data-action="vote"]')
      await expect.poll(() => buttons.count()).toBe(total)
      const cardsSeen = await cards(page).evaluateAll((els) =>
        els.map((el) => {
          const box = el.getBoundingClientRect()
          const vote = el.querySelector('button[data-action="vote"]')?.getBoundingClientRect()
          // Anything in the card that scrolls (its content taller or wider than its box, and scrollable).
          const scrolling = [el, ...el.querySelectorAll('*')].filter((node) => {
            const style = getComputedStyle(node)
            const scrollable = /(auto|scroll)/.test(style.overflowY + style.overflowX)
            return (
              scrollable &&
              (node.scrollHeight > node.clientHeight + 1 || node.scrollWidth > node.clientWidth + 1)
            )
          }).length
          return {
            inside:
              !!vote &&
              vote.top >= box.top - 1 &&
              vote.bottom <= box.bottom + 1 &&
              vote.left >= box.left - 1 &&
              vote.right <= box.right + 1,
            scrolling,
          }
        }),
      )
      expect(cardsSeen).toHaveLength(total)
      expect(cardsSeen.filter((seen) => !seen.inside)).toEqual([])
      expect(cardsSeen.filter((seen) => seen.scrolling > 0)).toEqual([])
      // Beside the button the titles still break between words.
      expect(await wordsBrokenInside(page, '.canvas-card')).toEqual([])
      // One click votes: the facilitator votes too, and the face says so.
      await card(page, 3).locator('button[data-action="vote"]').click()
      await card(page, 3).locator('[data-my-votes="1"]').waitFor()
      expect(await wordsBrokenInside(page, '.canvas-card')).toEqual([])
      await screenshot(page, 'canvas-laptop-voting')
      await setBoardPhase(suite.app.url, board, 'verzamelen')
    },
    OPENING,
  )
})
