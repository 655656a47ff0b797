import fs from 'node:fs'
import JSZip from 'jszip'
import { describe, expect, it } from 'vitest'
import { validateExport } from '../../server/http/schemas.js'
import { browserSuite, screenshot, type TestPage } from '../helpers/browser.js'

const suite = browserSuite()

describe('from the Pact longlist to the programme document, in Chromium', () => {
  it('[P1] the facilitator creates a board from the start page, shortlists three cards and downloads DOCX and JSON', async () => {
    const facilitator = await suite.open('Facilitator', 'list')
    const { page } = facilitator
    await page.goto(suite.app.url)
    await page.getByLabel(/Uitvoeringsprogramma Pact van Westfriesland 7\.1/).check()
    await expect.poll(() => page.getByText('20 startkaarten').count()).toBe(1)
    await page.getByLabel('Titel van het bord').fill('Werksessie 26 september')
    await page.getByRole('button', { name: 'Bord maken' }).click()
    await page.getByRole('img', { name: 'Scan om mee te doen als deelnemer' }).waitFor()
    await screenshot(page, 'start-page')
    const link = await page.locator('a[data-role="facilitator"]').getAttribute('href')
    expect(link).toMatch(/\/b\/\w+\?token=\w{32}$/)
    await page.goto(link as string)
    await page.locator('[data-connection="connected"]').waitFor()
    await expect.poll(() => page.locator('section[data-lane="longlist"] article.card-face').count()).toBe(20)

    // Cards 12, 7 and 4 of the annex go to the shortlist, in that order.
    // While collecting, a card changes lane from its detail editor.
    for (const n of [12, 7, 4]) {
      await page
        .getByRole('article', { name: new RegExp(`^Actie ${n}:`) })
        .locator('button[data-action="open"]')
        .click()
      await page.getByRole('dialog').getByRole('button', { name: 'Naar Shortlist' }).click()
      await page.keyboard.press('Escape')
      await expect.poll(() => page.getByRole('dialog').count()).toBe(0)
    }
    await expect.poll(() => page.locator('section[data-lane="shortlist"] article.card-face').count()).toBe(3)

    await page.getByText('Exporteren en importeren').click()
    const json = await downloaded(page, 'json')
    const document = JSON.parse(json.toString('utf8'))
    expect(validateExport(document)).toEqual([])
    expect(document.cards.map((card: { number: number }) => card.number)).toEqual([12, 7, 4])
    expect(document.cards[0].fields.actie).toBe('Regionaal woonakkoord sluiten')

    const docx = await downloaded(page, 'docx')
    const xml = (await (await JSZip.loadAsync(docx)).file('word/document.xml')?.async('string')) ?? ''
    const text = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(' ')
    expect(text).toContain('Werksessie 26 september')
    expect(text).toContain('Regionaal woonakkoord sluiten')
    expect(text).toContain('Vitalisering verblijfsrecreatie')
    expect(text).toContain('Energietransitie volgens Westfries Kompas')
    expect(text).not.toContain('MKB-strategie opstellen') // card 1 stayed on the longlist
    expect(facilitator.foreignRequests).toEqual([])
  })
})

async function downloaded(page: TestPage['page'], format: string): Promise<Buffer> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator(`button[data-format="${format}"]`).click(),
  ])
  const file = await download.path()
  return fs.readFileSync(file)
}
