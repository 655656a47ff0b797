import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import { beforeAll, describe, expect, it } from 'vitest'
import { type ExportDocument, exportBoard } from '../../model/export.js'
import { cardTitle } from '../../model/views/title.js'
import { LANDSCAPE_TEXT_WIDTH } from '../../server/export/annex.js'
import { toDocx } from '../../server/export/docx.js'
import { wrappedLines } from '../../server/export/text-fit.js'
import { toXlsx } from '../../server/export/xlsx.js'
import { officeToPdf, pdfPageSizes, pdfPages, pdfToPngs, tempFile } from '../helpers/office.js'
import { pactSession, SHORTLIST } from '../helpers/pact-session.js'

/**
 * Exports that read well when opened, not only parse: checked in the file and as LibreOffice prints
 * it (PDF, then PNG pictures under test-results/ to look at).
 */
let document: ExportDocument
let titles: string[]

beforeAll(() => {
  document = exportBoard(pactSession(), {
    lane: 'shortlist',
    exportedAt: new Date(Date.UTC(2019, 8, 26, 12)),
  })
  titles = document.cards.map((card) => cardTitle(card))
  expect(document.cards.map((card) => card.number)).toEqual(SHORTLIST)
})

/** A PDF's text with line breaks and hyphenation joined, for finding a title that wrapped. */
const flat = (text: string) => text.replace(/-\n/g, '-').replace(/\s+/g, ' ')

describe('XLSX that reads well', () => {
  it('[XR1] frozen bold header, autofilter, columns fitted to content, rows as tall as their wrapped text, landscape fitted to the page width', async () => {
    const book = new ExcelJS.Workbook()
    await book.xlsx.load((await toXlsx(document)) as never)
    const sheet = book.worksheets[0] as ExcelJS.Worksheet
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
    const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[]
    const last = sheet.getColumn(header.length).letter
    expect(sheet.autoFilter).toBe(`A1:${last}${1 + document.cards.length}`)
    expect(sheet.getRow(1).font?.bold).toBe(true)
    const width = (name: string) => sheet.getColumn(header.indexOf(name) + 1).width as number
    expect(width('Nr')).toBeLessThanOrEqual(6)
    expect(width('Doel')).toBeGreaterThan(width('Schaalniveau'))
    expect(width('Doel')).toBeLessThanOrEqual(31)
    // Every row is tall enough for its longest wrapped cell (a line per 14.5 points).
    for (let r = 2; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r)
      header.forEach((_, c) => {
        const value = row.getCell(c + 1).value
        if (typeof value !== 'string') return
        const lines = wrappedLines(value, (sheet.getColumn(c + 1).width as number) * 1.1 - 1)
        expect(row.height).toBeGreaterThanOrEqual(Math.min(409, lines * 14.5))
      })
      expect(row.getCell(header.indexOf('Doel') + 1).alignment?.wrapText).toBe(true)
    }
    expect(sheet.pageSetup).toMatchObject({
      orientation: 'landscape',
      paperSize: 9,
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '1:1',
    })
  })

  it('[XR2] LibreOffice prints it on landscape A4: every column on the page, every action readable, the header on each page', async () => {
    const pdf = await officeToPdf(tempFile('export-pact-shortlist.xlsx', await toXlsx(document)))
    const sizes = await pdfPageSizes(pdf)
    const pages = await pdfPages(pdf)
    const pngs = await pdfToPngs(pdf, 'export-xlsx')
    expect(pngs.length).toBe(pages.length)
    // Fitted to the width: the sheet's 20 columns on one page across; 9 cards need one or two pages down.
    expect(pages.length).toBeGreaterThanOrEqual(1)
    expect(pages.length).toBeLessThanOrEqual(2)
    for (const size of sizes) expect(size.width).toBeGreaterThan(size.height)
    for (const page of pages) {
      expect(page).toContain('Nr')
      expect(page).toContain('Gewijzigd') // the last column: nothing was cut off to another page
      expect(page).toContain('Pagina')
    }
    // A cell's wrapped lines come out of pdftotext interleaved with the next cells' text: each title's
    // first line (its first three words) in one piece, and all its words.
    const text = flat(pages.join('\n'))
    for (const title of titles) {
      expect(text).toContain(title.split(' ').slice(0, 3).join(' '))
      for (const word of title.split(' ')) expect(text).toContain(word)
    }
  }, 180_000)
})

describe('DOCX that reads well', () => {
  it('[XR3] the annex table has columns sized to their content: a narrow Nr, a wide Omschrijving, filling the page', async () => {
    const zip = await JSZip.loadAsync(await toDocx(document))
    const xml = (await zip.file('word/document.xml')?.async('string')) ?? ''
    const grids = [...xml.matchAll(/<w:tblGrid>(.*?)<\/w:tblGrid>/g)].map((grid) =>
      [...(grid[1] ?? '').matchAll(/<w:gridCol w:w="(\d+)"/g)].map((col) => Number(col[1])),
    )
    expect(grids.length).toBeGreaterThan(1)
    for (const cols of grids) {
      // Nr · Omschrijving · Beoogd resultaat · Aansluiting · two periods · Stakeholders
      expect(cols).toHaveLength(7)
      const [nr = 0, description = 0] = cols
      expect(nr).toBe(Math.min(...cols))
      expect(nr).toBeLessThan(LANDSCAPE_TEXT_WIDTH * 0.06)
      expect(description).toBe(Math.max(...cols))
      const sum = cols.reduce((a, b) => a + b, 0)
      expect(sum).toBeLessThanOrEqual(LANDSCAPE_TEXT_WIDTH)
      expect(sum).toBeGreaterThan(LANDSCAPE_TEXT_WIDTH - cols.length * 2)
    }
    expect(xml).toContain('<w:tblLayout w:type="fixed"/>')
  })

  it('[XR4] LibreOffice prints the DOCX on landscape A4 with every action and the table header on each page', async () => {
    const pdf = await officeToPdf(tempFile('export-pact-shortlist.docx', await toDocx(document)))
    const sizes = await pdfPageSizes(pdf)
    const pages = await pdfPages(pdf)
    const pngs = await pdfToPngs(pdf, 'export-docx')
    expect(pngs.length).toBe(pages.length)
    for (const size of sizes) expect(size.width).toBeGreaterThan(size.height)
    for (const page of pages) expect(page).toContain('Omschrijving actie')
    const text = flat(pages.join('\n'))
    for (const title of titles) expect(text).toContain(title)
  }, 180_000)
})
