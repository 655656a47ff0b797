import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { expectNoAxeViolations } from '../helpers/axe.js'
import { BEAMER, browserSuite, LAPTOP, NARROW, PHONE, screenshot } from '../helpers/browser.js'
import { sidewaysOverflow } from '../helpers/page-width.js'
import { createBoard } from '../helpers/server.js'

// No BOARD_CREATE_TOKEN: the browser on this machine has the board-creation right.
const suite = browserSuite()

async function open(): Promise<Page> {
  const tp = await suite.open('Fenna', 'list')
  return tp.page
}

/** The accessible name of the focused element, to follow keyboard focus. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    return el
      ? `${el.tagName.toLowerCase()}:${el.getAttribute('aria-label') ?? el.textContent?.trim() ?? ''}`
      : ''
  })

const exportOf = async (board: { id: string; token: string }) => {
  const res = await fetch(`${suite.app.url}/api/boards/${board.id}/export?format=json&lane=all`, {
    headers: { authorization: `Bearer ${board.token}` },
  })
  expect(res.status).toBe(200)
  return (await res.json()) as { themes: unknown[]; fields: unknown[]; lanes: unknown[]; cards: unknown[] }
}

const facilitatorTokenOf = (link: string) => new URL(link).searchParams.get('token') as string

describe('Mijn borden and templates on the start page (issue 12)', () => {
  it('[MB3] boards made here or opened with the facilitator link are listed; duplicate and save as template work by keyboard', async () => {
    const page = await open()
    await page.setViewportSize(LAPTOP)
    // A board opened with its facilitator link joins the list; a participant link does not.
    const opened = await createBoard(suite.app.url, 'blank', 'Geopend als facilitator')
    const joined = await createBoard(suite.app.url, 'blank', 'Meegedaan als deelnemer')
    await page.goto(`${suite.app.url}/b/${opened.id}?token=${opened.tokens.facilitator}`)
    await page.locator('[data-connection="connected"]').waitFor()
    await page.goto(`${suite.app.url}/b/${joined.id}?token=${joined.tokens.participant}`)
    await page.locator('[data-connection="connected"]').waitFor()

    await page.goto(`${suite.app.url}/`)
    await page.getByRole('radio', { name: /Pact van Westfriesland/ }).check()
    await page.getByLabel('Titel van het bord').fill('Werksessie Pact – Mijn borden')
    await page.getByRole('button', { name: 'Bord maken' }).click()
    await page.getByRole('heading', { name: 'Links voor dit bord' }).waitFor()
    const list = page.getByRole('region', { name: 'Mijn borden' })
    await expect
      .poll(() => list.getByRole('listitem').allTextContents())
      .toEqual([
        expect.stringContaining('Werksessie Pact – Mijn borden'),
        expect.stringContaining('Geopend als facilitator'),
      ])
    const made = page.locator('.my-board').first()
    const madeLink = (await made.getByRole('link').getAttribute('href')) as string
    const pact = {
      id: madeLink.split('/')[2]?.split('?')[0] as string,
      token: facilitatorTokenOf(`${suite.app.url}${madeLink}`),
    }

    // Duplicate, by keyboard: one Tab from the board's link.
    await made.getByRole('link').focus()
    await page.keyboard.press('Tab')
    expect(await focused(page)).toBe('button:Dupliceren')
    await page.keyboard.press('Enter')
    await page
      .getByRole('status')
      .filter({ hasText: 'Kopie gemaakt: Werksessie Pact – Mijn borden (kopie)' })
      .waitFor()
    await expect.poll(() => list.getByRole('listitem').count()).toBe(3)
    const copyLink = (await page.locator('a[data-role="facilitator"]').getAttribute('href')) as string
    const copy = {
      id: new URL(copyLink).pathname.split('/')[2] as string,
      token: facilitatorTokenOf(copyLink),
    }
    expect((await exportOf(copy)).cards).toHaveLength(20)

    // Save as template, by keyboard: the form opens with focus in its name field.
    const row = page.locator('.my-board', { hasText: 'Werksessie Pact – Mijn borden' }).last()
    await row.getByRole('button', { name: 'Bewaar als template' }).focus()
    await page.keyboard.press('Enter')
    const name = row.getByLabel('Naam van het template')
    await expect.poll(() => name.evaluate((el) => el === document.activeElement)).toBe(true)
    await page.keyboard.press('ControlOrMeta+a')
    await page.keyboard.type('Pact-opzet met kaarten')
    await page.keyboard.press('Tab')
    expect(await row.getByLabel('Met de kaarten (als startkaarten)').isChecked()).toBe(true)
    await page.keyboard.press('Tab')
    expect(await focused(page)).toBe('button:Template bewaren')
    await page.keyboard.press('Enter')
    await page.getByRole('status').filter({ hasText: 'Template “Pact-opzet met kaarten” bewaard' }).waitFor()
    const own = page.getByRole('radio', { name: /Pact-opzet met kaarten/ })
    await own.waitFor()
    await page.getByRole('heading', { name: 'Templates van deze server' }).waitFor()
    await screenshot(page, 'my-boards-laptop')
    await page.setViewportSize(BEAMER)
    await screenshot(page, 'my-boards-beamer')
    await page.setViewportSize(LAPTOP)
    // Every button's text stands out from its own background (axe leaves text on a same-coloured fill "incomplete").
    const invisible = await page.evaluate(() =>
      [...document.querySelectorAll('button')]
        .filter((b) => getComputedStyle(b).color === getComputedStyle(b).backgroundColor)
        .map((b) => b.textContent),
    )
    expect(invisible).toEqual([])
    await expectNoAxeViolations(page, 'start page with Mijn borden and an own template (laptop)')

    // A board from the saved template has the structure and cards of the board it was saved from.
    await own.check()
    await page.getByLabel('Titel van het bord').fill('Uit eigen template')
    await page.getByRole('button', { name: 'Bord maken' }).click()
    await expect.poll(() => list.getByRole('listitem').count()).toBe(4)
    const fromOwnLink = (await page.locator('a[data-role="facilitator"]').getAttribute('href')) as string
    const fromOwn = await exportOf({
      id: new URL(fromOwnLink).pathname.split('/')[2] as string,
      token: facilitatorTokenOf(fromOwnLink),
    })
    const source = await exportOf(pact)
    expect({ ...fromOwn, board: null, template: null, cards: fromOwn.cards.length }).toMatchObject({
      themes: source.themes,
      fields: source.fields,
      lanes: source.lanes,
      cards: 20,
    })

    // Phone and the narrowest screen: the same, without sideways scrolling.
    await page.setViewportSize(PHONE)
    await row.getByRole('button', { name: 'Bewaar als template' }).click()
    await screenshot(page, 'my-boards-save-template-phone')
    await expectNoAxeViolations(page, 'save as template form (phone)')
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0)
    await row.getByRole('button', { name: 'Annuleren' }).click()
    await page.setViewportSize(NARROW)
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0)
    await page.setViewportSize(PHONE)
    await screenshot(page, 'my-boards-phone')
  }, 120_000)

  it('[MB4] "Uit deze lijst" forgets a board here only; "Verwijderen" asks first and deletes the board for everyone', async () => {
    const page = await open()
    await page.setViewportSize(PHONE)
    const keep = await createBoard(suite.app.url, 'blank', 'Alleen uit de lijst')
    const gone = await createBoard(suite.app.url, 'blank', 'Weg voor iedereen')
    for (const board of [keep, gone]) {
      await page.goto(`${suite.app.url}/b/${board.id}?token=${board.tokens.facilitator}`)
      await page.locator('[data-connection="connected"]').waitFor()
    }
    await page.goto(`${suite.app.url}/`)
    const list = page.getByRole('region', { name: 'Mijn borden' })
    await expect.poll(() => list.getByRole('listitem').count()).toBe(2)

    await list
      .locator('.my-board', { hasText: 'Alleen uit de lijst' })
      .getByRole('button', { name: 'Uit deze lijst' })
      .click()
    await page
      .getByRole('status')
      .filter({ hasText: '“Alleen uit de lijst” staat niet meer in deze lijst' })
      .waitFor()
    expect(await focused(page)).toBe('h2:Mijn borden')
    expect(await list.getByRole('listitem').count()).toBe(1)
    expect(
      (
        await fetch(`${suite.app.url}/api/boards/${keep.id}`, {
          headers: { authorization: `Bearer ${keep.tokens.facilitator}` },
        })
      ).status,
    ).toBe(200)
    await page.reload()
    await expect
      .poll(() => page.locator('.my-board').allTextContents())
      .toEqual([expect.stringContaining('Weg voor iedereen')])

    // Delete: a confirmation first, focused so a screen reader reads it; Annuleren keeps the board.
    const row = page.locator('.my-board', { hasText: 'Weg voor iedereen' })
    await row.getByRole('button', { name: 'Verwijderen' }).click()
    const question = row.getByText('Bord “Weg voor iedereen” voor iedereen verwijderen?')
    await expect.poll(() => question.evaluate((el) => el === document.activeElement)).toBe(true)
    await screenshot(page, 'my-boards-confirm-delete-phone')
    await expectNoAxeViolations(page, 'delete confirmation (phone)')
    await row.getByRole('button', { name: 'Annuleren' }).click()
    await row.getByRole('button', { name: 'Verwijderen' }).click()
    await row.getByRole('button', { name: 'Ja, verwijderen' }).click()
    await page.getByRole('status').filter({ hasText: 'Bord “Weg voor iedereen” is verwijderd.' }).waitFor()
    expect(await page.locator('.my-board').count()).toBe(0)
    const after = await fetch(`${suite.app.url}/api/boards/${gone.id}`, {
      headers: { authorization: `Bearer ${gone.tokens.facilitator}` },
    })
    expect(after.status).toBe(401)
  }, 120_000)

  it('[TP8] an uploaded template with mistakes is refused with every problem named in Dutch, with its place; a good one is listed', async () => {
    const page = await open()
    await page.setViewportSize(LAPTOP)
    await page.goto(`${suite.app.url}/`)
    const upload = page.getByRole('region', { name: 'Template uploaden' })
    const file = upload.getByLabel('JSON-bestand')
    await file.setInputFiles({
      name: 'kapot.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"id": "x",'),
    })
    await upload.getByRole('button', { name: 'Uploaden' }).click()
    await upload.getByRole('alert').filter({ hasText: 'Dit bestand is geen geldige JSON' }).waitFor()

    const wrong = {
      id: 'mijn-template',
      title: '',
      description: 'Fout',
      themes: [{ id: 'a', label: 'A', color: 'rood' }],
      fields: [{ id: 'actie', kind: 'tekst', label: 'Actie' }],
      lanes: [
        { id: 'longlist', label: 'Long\u0007list' },
        { id: 'longlist', label: 'Nog eens' },
      ],
    }
    await file.setInputFiles({
      name: 'fout.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(wrong)),
    })
    await upload.getByRole('button', { name: 'Uploaden' }).click()
    const alert = upload.getByRole('alert')
    await alert.filter({ hasText: 'Het template is niet bewaard.' }).waitFor()
    expect(await alert.getByRole('listitem').allTextContents()).toEqual([
      'title (/title): mag niet leeg zijn',
      'thema 1 › color (/themes/0/color): moet een kleur zijn zoals #2b5fa8',
      'veld 1 › kind (/fields/0/kind): moet een van deze zijn: text, choice, multi-choice, list, periods',
    ])
    await screenshot(page, 'template-upload-problems-laptop')
    await expectNoAxeViolations(page, 'upload with problems (laptop)')
    // Once the schema holds, what it cannot say is named too.
    const fixed = {
      ...wrong,
      title: 'Mijn template',
      themes: [{ id: 'a', label: 'A', color: '#aa3300' }],
      fields: [{ id: 'actie', kind: 'text', label: 'Actie' }],
    }
    await file.setInputFiles({
      name: 'fout.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(fixed)),
    })
    await upload.getByRole('button', { name: 'Uploaden' }).click()
    await expect
      .poll(() => alert.getByRole('listitem').allTextContents())
      .toEqual([
        'lijst 1 › label (/lanes/0/label): bevat een stuurteken dat niet in tekst mag (Word en Excel weigeren het)',
      ])
    const good = { ...fixed, lanes: [{ id: 'longlist', label: 'Longlist' }] }
    await file.setInputFiles({
      name: 'goed.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(good)),
    })
    await upload.getByRole('button', { name: 'Uploaden' }).click()
    await upload.getByRole('status').filter({ hasText: 'Template “Mijn template” toegevoegd' }).waitFor()
    await page.getByRole('radio', { name: /Mijn template/ }).waitFor()
    await page.setViewportSize(PHONE)
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0)
    await screenshot(page, 'template-upload-phone')

    // Deleting an own template asks first; the built-in ones have no delete button.
    await page.getByRole('button', { name: 'Template “Mijn template” verwijderen' }).click()
    await page.getByRole('button', { name: 'Ja, verwijderen' }).click()
    await page.getByRole('status').filter({ hasText: 'Template “Mijn template” is verwijderd.' }).waitFor()
    expect(await page.getByRole('radio', { name: /Mijn template/ }).count()).toBe(0)
    expect(await page.getByRole('button', { name: /Template “Leeg bord” verwijderen/ }).count()).toBe(0)
  }, 120_000)

  it('[MB5] the facilitator saves the open board as a template from "Exporteren en importeren", by keyboard', async () => {
    const page = await open()
    await page.setViewportSize(LAPTOP)
    const board = await createBoard(suite.app.url, 'pact-westfriesland-7.1', 'Bord in de sessie')
    await page.goto(`${suite.app.url}/b/${board.id}?token=${board.tokens.facilitator}`)
    await page.locator('[data-connection="connected"]').waitFor()
    const exchange = page.locator('details.exchange')
    await exchange.locator('summary').focus()
    await page.keyboard.press('Enter')
    const section = page.getByRole('region', { name: 'Bewaar als template' })
    const name = section.getByLabel('Naam van het template')
    expect(await name.inputValue()).toBe('Bord in de sessie')
    await name.focus()
    await page.keyboard.press('ControlOrMeta+a')
    await page.keyboard.type('Sessie-opzet zonder kaarten')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Space') // without the cards
    expect(await section.getByLabel('Met de kaarten (als startkaarten)').isChecked()).toBe(false)
    await page.keyboard.press('Tab')
    expect(await focused(page)).toBe('button:Template bewaren')
    await page.keyboard.press('Enter')
    await section
      .getByRole('status')
      .filter({ hasText: 'Template “Sessie-opzet zonder kaarten” bewaard' })
      .waitFor()
    await screenshot(page, 'board-save-template-laptop')
    await expectNoAxeViolations(page, 'board with save as template (laptop)')
    const list = (await (await fetch(`${suite.app.url}/api/templates`)).json()) as {
      templates: { title: string; cards: number; themes: number; description: string }[]
    }
    expect(list.templates.find((t) => t.title === 'Sessie-opzet zonder kaarten')).toMatchObject({
      cards: 0,
      themes: 6,
      description: 'Bewaard van het bord “Bord in de sessie”.',
    })
    await page.setViewportSize(PHONE)
    // On a phone the panels are behind the header's menu.
    await page.getByRole('button', { name: 'Menu' }).click()
    await section.scrollIntoViewIfNeeded()
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0)
    await screenshot(page, 'board-save-template-phone')
  }, 120_000)

  it('[MB6] "Vergeet dit bord op dit apparaat" also takes the board (and its facilitator token) out of Mijn borden', async () => {
    const page = await open()
    await page.setViewportSize(PHONE)
    const forgotten = await createBoard(suite.app.url, 'blank', 'Vergeten als facilitator')
    const kept = await createBoard(suite.app.url, 'blank', 'Blijft in de lijst')
    for (const board of [kept, forgotten]) {
      await page.goto(`${suite.app.url}/b/${board.id}?token=${board.tokens.facilitator}`)
      await page.locator('[data-connection="connected"]').waitFor()
    }
    const listed = () => page.evaluate(() => localStorage.getItem('werkbord.myBoards') ?? '')
    expect(await listed()).toContain(forgotten.tokens.facilitator)
    page.on('dialog', (dialog) => void dialog.accept()) // the board panel confirms with window.confirm
    await page.getByRole('button', { name: 'Menu' }).click() // on a phone the panels are behind it
    await page.getByText('Privacy en bewaren').click()
    await page.getByRole('button', { name: 'Vergeet dit bord op dit apparaat' }).click()
    await page.locator('[data-gone="forgotten"]').waitFor()
    expect(await listed()).not.toContain(forgotten.id)
    expect(await listed()).not.toContain(forgotten.tokens.facilitator)
    expect(await listed()).toContain(kept.id)
  }, 120_000)
})
