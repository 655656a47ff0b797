import fs from 'node:fs'
import JSZip from 'jszip'
import { beforeAll, describe, expect, it } from 'vitest'
import { axeViolations } from '../helpers/axe.js'
import { browserSuite, LAPTOP, PHONE, screenshot, type TestPage } from '../helpers/browser.js'
import { type BoardInfo, createBoard } from '../helpers/server.js'

const suite = browserSuite()
let board: BoardInfo
let facilitator: TestPage

beforeAll(async () => {
  board = await createBoard(suite.app.url, 'pact-westfriesland-7.1', 'Werksessie 26 september')
})

describe('the session report in the export panel, in Chromium', () => {
  it('[RP6] the facilitator downloads the Word report and opens the printable report in a new tab', async () => {
    facilitator = await suite.open('Facilitator', 'list')
    const { page, context } = facilitator
    await page.setViewportSize(LAPTOP)
    await page.goto(board.links.facilitator as string)
    await page.locator('[data-connection="connected"]').waitFor()
    await page.getByText('Exporteren en importeren').click()
    const section = page.getByRole('region', { name: 'Rapport van de werksessie' })
    await section.waitFor()
    await section.scrollIntoViewIfNeeded()
    await screenshot(page, 'report-panel-laptop')
    expect(await axeViolations(page)).toEqual([])

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      section.getByRole('button', { name: 'Download rapport (Word)' }).click(),
    ])
    expect(download.suggestedFilename()).toBe('werksessie-26-september-rapport.docx')
    const xml =
      (await (
        await JSZip.loadAsync(fs.readFileSync(await download.path()))
      )
        .file('word/document.xml')
        ?.async('string')) ?? ''
    expect(xml).toContain('Themamatrix')
    expect(xml).toContain('MKB-strategie opstellen')

    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      section.getByRole('button', { name: 'Rapport afdrukken of als PDF bewaren' }).click(),
    ])
    await popup.waitForLoadState()
    await popup.getByRole('heading', { name: 'Themamatrix' }).waitFor()
    expect(await popup.getByRole('heading', { level: 1 }).textContent()).toBe('Werksessie 26 september')
    expect(await axeViolations(popup)).toEqual([])
    await popup.close()

    await page.setViewportSize(PHONE)
    // On a phone the panels are behind the header's menu.
    await page.getByRole('button', { name: 'Menu' }).click()
    await section.scrollIntoViewIfNeeded()
    await screenshot(page, 'report-panel-phone')
    expect(facilitator.foreignRequests).toEqual([])
  }, 120_000)
})
