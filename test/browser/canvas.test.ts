import type { Locator, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { browserSuite, screenshot, type TestPage } from '../helpers/browser.js'
import { setBoardPhase } from '../helpers/phase.js'
import { type BoardInfo, createBoard } from '../helpers/server.js'

let board: BoardInfo

const suite = browserSuite()
beforeAll(async () => {
  board = await createBoard(suite.app.url, 'blank', 'Canvas-werksessie')
  // Two participants on the canvas (opening a canvas takes seconds on a loaded machine: not in a test).
  await participant('Anouk')
  await participant('Bram')
}, 90_000)

async function participant(name: string): Promise<TestPage> {
  const tp = await suite.open(name, 'canvas')
  await tp.page.goto(`${suite.app.url}/b/${board.id}?token=${board.tokens.participant}`)
  await tp.page.locator('[data-connection="connected"]').waitFor()
  await tp.page.locator('.canvas-lane[data-lane="shortlist"]').waitFor()
  return tp
}

const card = (page: Page, n: number) =>
  page.locator('.canvas-card').filter({ has: page.locator(`.card-number:text-is("${n}")`) })
/** The title card n shows on its face. */
const title = (page: Page, n: number) => card(page, n).locator('.card-face-text').innerText()
/** A field of the open detail editor. */
const field = (page: Page, label: string) => page.locator(`dialog[open] textarea[aria-label="${label}"]`)
/** Opens card n's detail editor with a click on its face, as a person does. */
async function open(page: Page, n: number) {
  await card(page, n).locator('.card-face-text').click()
  await page.locator('dialog[open]').waitFor()
}
const close = (page: Page) => page.locator('dialog[open] [data-action="close"]').click()
type ToolEditor = { werkbordEditor: { getCurrentToolId(): string } }
const tool = (page: Page) =>
  page.evaluate(() => (window as unknown as ToolEditor).werkbordEditor.getCurrentToolId())

/**
 * Drags with the mouse as a person does: one step per animation frame. tldraw handles pointer moves
 * once per frame; on a busy machine, moves sent faster than frames arrive together with the release and
 * the shape never moves.
 */
async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }, steps = 12) {
  const nextFrame = () =>
    page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())))
  await page.mouse.move(from.x, from.y)
  await page.mouse.down()
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(from.x + ((to.x - from.x) * i) / steps, from.y + ((to.y - from.y) * i) / steps)
    await nextFrame()
  }
  await page.mouse.up()
}

/**
 * Where an element is drawn once it has stopped moving: equal over two frames. After a phase change the
 * card faces re-render (criteria, the shortlist button) and the canvas resizes their shapes; a drag
 * that starts from a box read before that starts beside the card.
 */
async function settledBox(page: Page, element: Locator) {
  const nextFrame = () =>
    page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())))
  let last = JSON.stringify(await element.boundingBox())
  for (;;) {
    await nextFrame()
    await nextFrame()
    const now = JSON.stringify(await element.boundingBox())
    if (now === last) return element.boundingBox()
    last = now
  }
}

/** The lane whose region holds the centre of card n, as drawn. */
async function laneOfCard(page: Page, n: number): Promise<string | null> {
  const box = await card(page, n).boundingBox()
  if (!box) return null
  const center = { x: box.x + box.width / 2, y: box.y + box.height / 2 }
  for (const lane of await page.locator('.canvas-lane').all()) {
    const rect = await lane.boundingBox()
    if (rect && center.x >= rect.x && center.x <= rect.x + rect.width) return lane.getAttribute('data-lane')
  }
  return null
}

describe('canvas in Chromium', () => {
  it('[C1] a card made on the canvas opens in its editor, in view; typing shows live for the other', async () => {
    const [anouk, bram] = suite.pages as [TestPage, TestPage]
    await anouk.page.getByRole('button', { name: 'Nieuwe actie' }).click()
    await card(anouk.page, 1).waitFor()
    await card(bram.page, 1).waitFor()
    // The editor is open with its first text field focused: the keys go there, not to tldraw.
    await expect
      .poll(() => anouk.page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Actie')
    await anouk.page.keyboard.type('Energietransitie volgens Westfries Kompas')
    await expect.poll(() => title(bram.page, 1)).toBe('Energietransitie volgens Westfries Kompas')
    expect(await tool(anouk.page)).toBe('select')
    expect(await laneOfCard(bram.page, 1)).toBe('longlist')
  })

  it('[C3] two people typing in the same field on the canvas both keep their text', async () => {
    const [anouk, bram] = suite.pages as [TestPage, TestPage]
    await open(bram.page, 1)
    const [mine, theirs] = [field(anouk.page, 'Doel'), field(bram.page, 'Doel')]
    await Promise.all([
      mine.pressSequentially('Energieneutraal 2040. ', { delay: 15 }),
      theirs.pressSequentially('Samen met HHNK. ', { delay: 15 }),
    ])
    await expect
      .poll(async () => {
        const [a, b] = [await mine.inputValue(), await theirs.inputValue()]
        // Every keystroke of both kept on both screens; runs may interleave where both typed at once.
        return (
          a === b && [...a].sort().join('') === [...'Energieneutraal 2040. Samen met HHNK. '].sort().join('')
        )
      })
      .toBe(true)
  })

  it('[C6] undo takes back only my own change, not the other participant’s', async () => {
    const [anouk, bram] = suite.pages as [TestPage, TestPage]
    const mine = field(anouk.page, 'Actie')
    const theirs = field(bram.page, 'Doel')
    await theirs.click()
    await theirs.press('Control+End')
    await theirs.pressSequentially(' Bram was hier.')
    await mine.click()
    // Ctrl+End: the end of the whole text (End alone stops at the end of a wrapped line).
    await mine.press('Control+End')
    await mine.pressSequentially(' (concept)')
    await expect.poll(() => field(anouk.page, 'Doel').inputValue()).toContain('Bram was hier.')
    await anouk.page.keyboard.press('Control+z')
    await expect.poll(() => mine.inputValue()).toBe('Energietransitie volgens Westfries Kompas')
    await expect.poll(() => title(bram.page, 1)).toBe('Energietransitie volgens Westfries Kompas')
    expect(await field(anouk.page, 'Doel').inputValue()).toContain('Bram was hier.')
    await close(anouk.page)
    await close(bram.page)
    // Focus goes back to the card's face on the canvas.
    await expect
      .poll(() => anouk.page.evaluate(() => document.activeElement?.closest('.canvas-card') !== null))
      .toBe(true)
  })

  it('[C4] the other participant’s cursor shows with their name', async () => {
    const [anouk, bram] = suite.pages as [TestPage, TestPage]
    const lane = await anouk.page.locator('.canvas-lane[data-lane="longlist"]').boundingBox()
    if (!lane) throw new Error('lane not visible')
    for (let i = 0; i < 5; i++) await anouk.page.mouse.move(lane.x + 200 + i * 20, lane.y + 600)
    // tldraw draws cursors on its overlay canvas: ask the editor which collaborators it shows.
    const shown = () =>
      bram.page.evaluate(() =>
        (
          window as unknown as {
            werkbordEditor: { getVisibleCollaboratorsOnCurrentPage(): { userName: string }[] }
          }
        ).werkbordEditor
          .getVisibleCollaboratorsOnCurrentPage()
          .map((peer) => peer.userName),
      )
    await expect.poll(shown).toContain('Anouk')
  })

  it('[C5] a sticky note drawn beside the cards reaches the other and survives a reload', async () => {
    const [anouk, bram] = suite.pages as [TestPage, TestPage]
    type EditorLike = {
      createShape(shape: object): void
      getCurrentPageShapes(): { type: string; props: { richText?: unknown } }[]
    }
    await anouk.page.evaluate(() => {
      const editor = (window as unknown as { werkbordEditor: EditorLike }).werkbordEditor
      editor.createShape({ type: 'note', x: -600, y: 200 })
    })
    const notes = (page: Page) =>
      page.evaluate(
        () =>
          (window as unknown as { werkbordEditor: EditorLike }).werkbordEditor
            .getCurrentPageShapes()
            .filter((shape) => shape.type === 'note').length,
      )
    await expect.poll(() => notes(bram.page)).toBe(1)
    await bram.page.reload()
    await bram.page.locator('.canvas-lane[data-lane="shortlist"]').waitFor()
    await expect.poll(() => notes(bram.page)).toBe(1)
  })

  it('[C2] dragging a card into the shortlist moves it for the other and in the export', async () => {
    const [anouk, bram] = suite.pages as [TestPage, TestPage]
    await setBoardPhase(suite.app.url, board, 'selecteren', 'everyone')
    await anouk.page.locator('nav.phases[data-phase="selecteren"]').waitFor()
    const head = card(anouk.page, 1).locator('.card-face-top')
    const from = await settledBox(anouk.page, head)
    const lane = await anouk.page.locator('.canvas-lane[data-lane="shortlist"]').boundingBox()
    if (!from || !lane) throw new Error('card or lane not visible')
    await drag(
      anouk.page,
      { x: from.x + from.width / 2, y: from.y + from.height / 2 },
      { x: lane.x + 120, y: lane.y + 120 },
    )
    // First where it was dropped, then for the other: a failure says which of the two went wrong.
    await expect.poll(() => laneOfCard(anouk.page, 1)).toBe('shortlist')
    await expect.poll(() => laneOfCard(bram.page, 1)).toBe('shortlist')
    const res = await fetch(
      `${suite.app.url}/api/boards/${board.id}/export?lane=shortlist&token=${board.tokens.observer}`,
    )
    const exported = (await res.json()) as { cards: { fields: { actie: string } }[] }
    expect(exported.cards.map((c) => c.fields.actie)).toEqual(['Energietransitie volgens Westfries Kompas'])
    await screenshot(anouk.page, 'canvas-view')
  })

  it('[C8] undo goes back as far as typing in a new card, never removes the card itself', async () => {
    // Removing a card for good is the facilitator's: the server would refuse it and the page reload.
    const [anouk, bram] = suite.pages as [TestPage, TestPage]
    await setBoardPhase(suite.app.url, board, 'verzamelen')
    await anouk.page.locator('nav.phases[data-phase="verzamelen"]').waitFor()
    await anouk.page.getByRole('button', { name: 'Nieuwe actie' }).click()
    const mine = field(anouk.page, 'Actie')
    await expect
      .poll(() => anouk.page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Actie')
    await mine.pressSequentially('Snel getypt')
    await expect.poll(() => card(bram.page, 2).locator('.card-face-text').innerText()).toBe('Snel getypt')
    for (let i = 0; i < 3; i++) await anouk.page.keyboard.press('Control+z')
    await expect.poll(() => mine.inputValue()).toBe('')
    await expect.poll(() => card(bram.page, 2).count()).toBe(1)
    expect(await tool(anouk.page)).toBe('select')
    const navigation = await anouk.page.evaluate(
      () => performance.getEntriesByType('navigation')[0]?.toJSON().type,
    )
    expect(navigation).toBe('navigate')
    const metrics = await (await fetch(`${suite.app.url}/metrics`)).text()
    expect(metrics).not.toMatch(/werkbord_rejected_total\{reason="forbidden-change"\}/)
    await close(anouk.page)
  })

  it('[C7] nothing was requested from another origin', () => {
    for (const { foreignRequests } of suite.pages) expect(foreignRequests).toEqual([])
  })
})
