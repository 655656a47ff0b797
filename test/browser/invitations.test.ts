import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { createCard } from '../../model/cards.js'
import { axeViolations } from '../helpers/axe.js'
import { ARTIFACTS, browserSuite, LAPTOP, PHONE, screenshot, type TestPage } from '../helpers/browser.js'
import { connectClient } from '../helpers/clients.js'
import { sidewaysOverflow } from '../helpers/page-width.js'
import { setBoardPhase } from '../helpers/phase.js'
import { type BoardInfo, createBoard } from '../helpers/server.js'

let board: BoardInfo

const suite = browserSuite()
beforeAll(async () => {
  board = await createBoard(suite.app.url, 'blank', 'Werksessie uitnodigingen')
})

async function open(name?: string): Promise<TestPage> {
  const tp = await suite.open(name, 'list')
  return tp
}

const PEOPLE = Array.from({ length: 30 }, (_, i) => {
  const names = ['Anna de Vries', 'Bart Jansen', 'Cees Bakker', 'Dirk Visser', 'Eva Smit', 'Fatma Yılmaz']
  const organisations = ['Gemeente Hoorn', 'Provincie Noord-Holland', '', 'Woningcorporatie Intermaris']
  return {
    name: `${names[i % names.length]} ${i + 1}`,
    organisation: organisations[i % organisations.length] as string,
  }
})

describe('personal invitations in the browser', () => {
  it('[IV11] the facilitator invites 30 people from a pasted list, prints the A4 sheet of QR codes, sees who joined and voted, revokes a link', async () => {
    const facilitator = await open('Floor')
    const { page } = facilitator
    page.on('dialog', (dialog) => void dialog.accept())
    await page.setViewportSize(LAPTOP)
    await page.goto(`${suite.app.url}/b/${board.id}?token=${board.tokens.facilitator}`)
    await page.locator('[data-connection="connected"]').waitFor()
    await page.getByText('Uitnodigingen', { exact: true }).click()
    // One typed, 29 pasted.
    const [first, ...rest] = PEOPLE as [(typeof PEOPLE)[0], ...typeof PEOPLE]
    await page.getByLabel('Naam', { exact: true }).fill(first.name)
    await page.getByLabel('Organisatie (niet verplicht)').fill(first.organisation)
    await page.getByRole('button', { name: 'Uitnodigen', exact: true }).click()
    await page.locator(`[data-invitee="${first.name}"]`).waitFor()
    await page
      .getByLabel(/Lijst plakken/)
      .fill(rest.map((p) => (p.organisation ? `${p.name}, ${p.organisation}` : p.name)).join('\n'))
    await page.getByRole('button', { name: 'Lijst uitnodigen' }).click()
    await page.getByRole('status').filter({ hasText: '29 mensen uitgenodigd' }).waitFor()
    await expect.poll(() => page.locator('[data-invitee]').count()).toBe(30)
    expect(await page.locator('[data-joined="yes"]').count()).toBe(0)
    expect(await axeViolations(page)).toEqual([])
    await screenshot(page, 'invitations-panel-laptop')
    await page.setViewportSize(PHONE)
    // On a phone the panels are behind the header's menu.
    await page.getByRole('button', { name: 'Menu' }).click()
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0)
    await screenshot(page, 'invitations-panel-phone')
    await page.setViewportSize(LAPTOP)

    // The sheet: 30 names, 30 QR codes, each a personal link; printed alone on A4.
    await page.getByRole('button', { name: 'Afdrukken' }).click()
    const sheet = page.getByRole('dialog', { name: 'Persoonlijke uitnodigingen (30)' })
    await sheet.waitFor()
    expect(await sheet.locator('.sheet-person').count()).toBe(30)
    expect(await sheet.getByRole('img', { name: /QR-code met de persoonlijke link van/ }).count()).toBe(30)
    const links = await sheet.locator('.sheet-link').allTextContents()
    expect(new Set(links).size).toBe(30)
    for (const link of links) expect(link).toMatch(new RegExp(`/b/${board.id}\\?token=[0-9A-Za-z]{32}$`))
    expect(await axeViolations(page)).toEqual([])
    await screenshot(page, 'invitations-sheet-laptop')
    await page.setViewportSize(PHONE)
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0)
    await screenshot(page, 'invitations-sheet-phone')
    await page.setViewportSize(LAPTOP)
    await page.emulateMedia({ media: 'print' })
    expect(await page.locator('header').first().isVisible()).toBe(false)
    await screenshot(page, 'invitations-sheet-print')
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true })
    fs.writeFileSync(path.join(ARTIFACTS, 'invitations-sheet.pdf'), pdf)
    // Six people to an A4 page (two columns of three), a card never split over two pages.
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0
    console.log(`[figures] invitation sheet: 30 people on ${pages} A4 pages`)
    expect(pages).toBeGreaterThanOrEqual(5)
    expect(pages).toBeLessThanOrEqual(6)
    await page.emulateMedia({ media: 'screen' })
    await page.getByRole('button', { name: 'Sluiten' }).click()
    await sheet.waitFor({ state: 'detached' })
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-action')))
      .toBe('print-sheet')

    // Anna opens her link in a fresh browser: her name is filled in, she cannot be someone else.
    const annaLink = links[0] as string
    const anna = await open()
    await anna.page.goto(annaLink)
    await anna.page.getByText(`Je doet mee als ${first.name}`).waitFor()
    expect(await anna.page.getByLabel('Je naam').count()).toBe(0)
    expect(await axeViolations(anna.page)).toEqual([])
    await anna.page.setViewportSize(PHONE)
    await screenshot(anna.page, 'invitations-join-phone')
    await anna.page.getByRole('button', { name: 'Meedoen' }).click()
    await anna.page.locator('[data-connection="connected"]').waitFor()
    await page.getByRole('button', { name: 'Vernieuwen' }).last().click()
    await page.locator(`[data-invitee="${first.name}"] [data-joined="yes"]`).waitFor()
    expect(await page.locator(`[data-invitee="${first.name}"] [data-voted="no"]`).count()).toBe(1)

    // Anna votes; the open panel shows that she voted (it asks again by itself), never on what.
    const setup = connectClient(suite.app.url, board.id, board.tokens.facilitator)
    await setup.synced
    createCard(setup.doc, { fields: { actie: 'Regionale woonzorgvisie' } })
    setup.destroy()
    await setBoardPhase(suite.app.url, board, 'stemmen')
    await anna.page.locator('[data-action="vote"]').first().click()
    await anna.page.locator('[data-remaining="4"]').waitFor()
    await page.locator(`[data-invitee="${first.name}"] [data-voted="yes"]`).waitFor({ timeout: 30_000 })
    expect(await page.locator('.invite-table').textContent()).not.toContain('Regionale woonzorgvisie')

    // Revoked: Anna is cut off at once and told her link no longer works.
    await page.getByRole('button', { name: `Link van ${first.name} intrekken` }).click()
    await anna.page.getByRole('alert').filter({ hasText: 'Deze link werkt niet (meer).' }).waitFor()
    await expect.poll(() => page.locator('[data-invitee]').count()).toBe(29)
    expect(facilitator.foreignRequests).toEqual([])
    expect(anna.foreignRequests).toEqual([])
  }, 180_000)

  it('[IV12] with the shared link switched off, the shared participant link says to ask for a personal link', async () => {
    const facilitator = await open('Floor')
    const { page } = facilitator
    page.on('dialog', (dialog) => void dialog.accept())
    await page.goto(`${suite.app.url}/b/${board.id}?token=${board.tokens.facilitator}`)
    await page.locator('[data-connection="connected"]').waitFor()
    await page.getByText('Uitnodigingen', { exact: true }).click()
    const sharedSwitch = page.getByLabel('Gedeelde deelnemerslink werkt')
    await expect.poll(() => sharedSwitch.isChecked()).toBe(true)
    await sharedSwitch.click()
    await page.getByRole('status').filter({ hasText: 'De gedeelde deelnemerslink staat uit.' }).waitFor()
    const guest = await open('Gast')
    await guest.page.goto(`${suite.app.url}/b/${board.id}?token=${board.tokens.participant}`)
    await guest.page
      .getByRole('alert')
      .filter({
        hasText: 'De gedeelde deelnemerslink staat uit. Vraag de facilitator om je persoonlijke link.',
      })
      .waitFor()
    await guest.page.setViewportSize(PHONE)
    await screenshot(guest.page, 'invitations-shared-off-phone')
    expect(await axeViolations(guest.page)).toEqual([])
  }, 120_000)
})
