import fs from 'node:fs'
import path from 'node:path'
import JSZip from 'jszip'
import type { Browser } from 'playwright-core'
import { SaxesParser } from 'saxes'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { initBoard } from '../../model/board.js'
import { createCards } from '../../model/cards.js'
import { readPhaseLog, setPhase } from '../../model/phases.js'
import { listCards } from '../../model/read.js'
import type { Template } from '../../model/template.js'
import { setVoting, writeVoteTotals } from '../../model/voting.js'
import type { App } from '../../server/app.js'
import { rankingChart } from '../../server/report/chart.js'
import { gatherReport, phaseSpans } from '../../server/report/gather.js'
import { renderReport } from '../../server/report/render.js'
import { ARTIFACTS, LAPTOP, launchBrowser, openPage, screenshot } from '../helpers/browser.js'
import { officeToPdf, pdfPageSizes, pdfPages, pdfToPngs, tempFile } from '../helpers/office.js'
import {
  PARTICIPANTS,
  pactSession,
  playPactSession,
  SESSION_DAY,
  SHORTLIST,
  VOTES,
} from '../helpers/pact-session.js'
import { type BoardInfo, createBoard, startServer } from '../helpers/server.js'
import { loadTemplate } from '../model/helpers.js'

const MADE_AT = SESSION_DAY + 5 * 3_600_000
const pact: Template = loadTemplate('pact-westfriesland-7.1')
const titleOf = (number: number) =>
  String(pact.cards?.find((card) => card.number === number)?.fields.actie ?? '').split('\n')[0] as string

/** The tables of a Word document: rows of cells, each cell its paragraphs' text joined by line breaks. */
function docxTables(xml: string): string[][][] {
  const decode = (text: string) =>
    text
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&')
  return [...xml.matchAll(/<w:tbl>(.*?)<\/w:tbl>/gs)].map((table) =>
    [...(table[1] ?? '').matchAll(/<w:tr\b.*?<\/w:tr>/gs)].map((row) =>
      [...row[0].matchAll(/<w:tc>(.*?)<\/w:tc>/gs)].map((cell) =>
        [...(cell[1] ?? '').matchAll(/<w:p\b.*?<\/w:p>/gs)]
          .map((p) =>
            [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => decode(t[1] ?? '')).join(''),
          )
          .join('\n'),
      ),
    ),
  )
}

async function documentXml(docx: Uint8Array): Promise<{ xml: string; zip: JSZip }> {
  const zip = await JSZip.loadAsync(docx)
  return { xml: (await zip.file('word/document.xml')?.async('string')) ?? '', zip }
}

function wellFormed(xml: string): void {
  const parser = new SaxesParser()
  parser.write(xml).close()
}

interface ExportShape {
  cards: { lane: string; votes?: number }[]
  links: unknown[]
}

const flat = (text: string) => text.replace(/-\n/g, '-').replace(/\s+/g, ' ')

describe('the session report, from the board', () => {
  it('[RP1] the DOCX holds the phases, participants, criteria, the theme matrix with the Pact template’s theme marks for every card, the planning, the ranking (chart and table) and the links', async () => {
    const rendered = await renderReport(pactSession(), 'docx', MADE_AT)
    const { xml, zip } = await documentXml(rendered.body)
    wellFormed(xml)
    const tables = docxTables(xml)
    const headed = (...headers: string[]) =>
      tables.find((table) => headers.every((header) => table[0]?.includes(header))) as string[][]
    expect(xml).toContain(`Deelnemers die stemden: ${PARTICIPANTS}`)
    // Phases with their times (Dutch time) and durations.
    expect(headed('Fase', 'Begin', 'Einde', 'Duur').slice(1)).toEqual([
      ['Verzamelen', '09:00', '10:15', '1 u 15 min'],
      ['Stemmen', '10:15', '10:40', '25 min'],
      ['Selecteren', '10:40', '11:15', '35 min'],
      ['Afgerond', '11:15', '', ''],
    ])
    expect(headed('Criterium', 'Voldaan door').slice(1)).toEqual([
      ['Bij uitstek regionaal op te pakken', '9 van 9 shortlist-acties'],
      ['Draagt aantoonbaar bij aan de ambities uit het Pact 7.1', '9 van 9 shortlist-acties'],
      ['Kan rekenen op draagvlak bij de betrokken partijen', '4 van 9 shortlist-acties'],
      ['Draagt bij voorkeur bij aan meerdere ambities van het Pact', '0 van 9 shortlist-acties'],
    ])
    // The shortlist's annex tables: every shortlisted action, under its theme.
    const annex = tables.filter((table) => table[0]?.[1] === 'Omschrijving actie')
    expect(
      annex.flatMap((table) => table.slice(1).map((row) => Number(row[0]))).sort((a, b) => a - b),
    ).toEqual([...SHORTLIST].sort((a, b) => a - b))
    // The theme matrix: every card of the template, in number order, an x under each of its themes.
    const matrix = headed('Nr', 'Actie', 'Lijst', ...pact.themes.map((theme) => theme.label))
    const expected = (pact.cards ?? []).map((card) => [
      String(card.number),
      titleOf(card.number ?? 0),
      SHORTLIST.includes(card.number ?? 0) ? 'Shortlist' : 'Longlist',
      ...pact.themes.map((theme) => ((card.fields.thema as string[]).includes(theme.id) ? 'x' : '')),
    ])
    expect(matrix.slice(1)).toEqual(expected)
    // The planning of the shortlist, in shortlist order: the template's periods.
    const planning = headed('Nr', 'Actie', 'Korte termijn (’20-’21)', 'Lange termijn (’22-’24)')
    expect(planning.slice(1)).toEqual(
      SHORTLIST.map((n) => {
        const value = pact.cards?.find((card) => card.number === n)?.fields.planning as Record<string, string>
        return [String(n), titleOf(n), (value.kort ?? '').trim(), (value.lang ?? '').trim()]
      }),
    )
    // The ranking: most votes first, ties sharing a place; every card listed.
    const ranking = headed('Plaats', 'Nr', 'Actie', 'Stemmen', 'Lijst')
    const byVotes = Object.entries(VOTES).sort(([a, x], [b, y]) => y - x || Number(a) - Number(b))
    expect(ranking.slice(1, 1 + byVotes.length).map((row) => [row[1], row[3]])).toEqual(
      byVotes.map(([n, votes]) => [n, String(votes)]),
    )
    expect(ranking.slice(1, 6).map((row) => row[0])).toEqual(['1', '2', '3 (gedeeld)', '3 (gedeeld)', '5'])
    expect(ranking).toHaveLength(1 + 20)
    // The chart: a PNG picture with a description for screen readers.
    const pngs = Object.keys(zip.files).filter((name) => /^word\/media\/.*\.png$/.test(name))
    expect(pngs).toHaveLength(1)
    const png = await zip.file(pngs[0] as string)?.async('uint8array')
    expect([...(png ?? new Uint8Array()).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47])
    expect(xml).toMatch(/<wp:docPr [^>]*title="Uitslag van de stemming"/)
    // Koppelkansen and dilemma's between cards.
    // (in the order of the links' ids, which are random: compared as sets)
    const links = headed('Soort', 'Actie', 'Met actie', 'Toelichting').slice(1)
    expect(links.sort()).toEqual(
      [
        [
          'Dilemma',
          `4. ${titleOf(4)}`,
          `14. ${titleOf(14)}`,
          'Ruimte voor zonnevelden tegenover natuur en recreatie',
        ],
        [
          'Koppelkans',
          `7. ${titleOf(7)}`,
          `8. ${titleOf(8)}`,
          'Vrijetijdseconomie: zelfde ondernemers en promotie',
        ],
      ].sort(),
    )
  })

  it('[RP4] hostile card text — formulas, markup, characters XML forbids — stays text in the DOCX, the HTML and the chart', async () => {
    const hostile = {
      actie: '=HYPERLINK("http://x";"klik") <script>alert(1)</script>\u0001\uFFFE x\uD800y',
      doel: '@SUM(A1)\u000b',
      thema: ['zorg'],
      planning: { kort: '+31 6 <b>bold</b>', lang: "-2+3+cmd|' /C calc'!A0" },
      partijen: ['&amp; "quotes"'],
    }
    const doc = pactSession([hostile])
    const ids = new Map(listCards(doc).map((card) => [card.number, card.id]))
    writeVoteTotals(
      doc,
      new Map(
        [...Object.entries(VOTES), ['21', 2]].map(([n, votes]) => [
          ids.get(Number(n)) as string,
          Number(votes),
        ]),
      ),
    )
    const { xml } = await documentXml((await renderReport(doc, 'docx', MADE_AT)).body)
    wellFormed(xml)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for the forbidden controls
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/)
    const cells = docxTables(xml).flat(2)
    const title = '=HYPERLINK("http://x";"klik") <script>alert(1)</script> xy'
    expect(cells.filter((cell) => cell === title || cell === `21. ${title}`).length).toBeGreaterThan(0)
    expect(cells.some((cell) => cell.startsWith(title))).toBe(true) // the annex table's description
    expect(cells.includes("-2+3+cmd|' /C calc'!A0")).toBe(true)
    expect(cells.includes('+31 6 <b>bold</b>')).toBe(true)
    const html = (await renderReport(doc, 'html', MADE_AT)).body.toString('utf8')
    expect(html).not.toContain('<script>')
    expect(html).not.toContain('<b>bold</b>')
    expect(html).toContain(
      '=HYPERLINK(&quot;http://x&quot;;&quot;klik&quot;) &lt;script&gt;alert(1)&lt;/script&gt; xy',
    )
    expect(html).toContain('&amp;amp; &quot;quotes&quot;')
    const chart = rankingChart(gatherReport(doc, MADE_AT))
    wellFormed(chart)
    expect(chart).toContain('#21 =HYPERLINK')
  })
})

describe('the session report over HTTP, printed', () => {
  let app: App
  let board: BoardInfo
  let browser: Browser
  const url = (format: string, token?: string) =>
    `${app.url}/api/boards/${board.id}/report?format=${format}${token ? `&token=${token}` : ''}`

  beforeAll(async () => {
    app = await startServer()
    board = await createBoard(app.url, 'pact-westfriesland-7.1', 'Werksessie Pact 7.1 – 26 september')
    // The facilitator runs the session on the server's board, through the stock y-websocket client.
    const { WebsocketProvider } = await import('y-websocket')
    const WebSocket = (await import('ws')).default
    const doc = new Y.Doc()
    const provider = new WebsocketProvider(`${app.url.replace('http', 'ws')}/sync`, board.id, doc, {
      params: { token: board.tokens.facilitator },
      WebSocketPolyfill: WebSocket as never,
      disableBc: true,
    })
    await new Promise<void>((resolve) => provider.once('sync', () => resolve()))
    playPactSession(doc)
    // The server has it all once its export shows the last change (the session is done).
    const expectedCards = SHORTLIST.length
    for (;;) {
      const res = await fetch(`${app.url}/api/boards/${board.id}/export?format=json&lane=all`, {
        headers: { authorization: `Bearer ${board.tokens.observer}` },
      })
      const exported = (await res.json()) as ExportShape
      const report = gatherReportOf(exported)
      if (report === expectedCards) break
      await new Promise((resolve) => setImmediate(resolve))
    }
    provider.destroy()
    doc.destroy()
    browser = await launchBrowser()
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await app?.close()
  })

  /** Shortlisted cards once the links and the revealed votes have arrived too (else -1). */
  function gatherReportOf(exported: ExportShape): number {
    return exported.links.length === 2 && exported.cards.every((card) => card.votes !== undefined)
      ? exported.cards.filter((card) => card.lane === 'shortlist').length
      : -1
  }

  it('[RP2] every role gets the report; an unknown format is a 400, a missing token a 401', async () => {
    const html = await fetch(url('html', board.tokens.observer))
    expect(html.status).toBe(200)
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(html.headers.get('content-disposition')).toBe(
      'inline; filename="werksessie-pact-7-1-26-september-rapport.html"',
    )
    expect(html.headers.get('content-security-policy')).toContain("default-src 'self'")
    const docx = await fetch(url('docx'), {
      headers: { authorization: `Bearer ${board.tokens.participant}` },
    })
    expect(docx.status).toBe(200)
    expect(docx.headers.get('content-disposition')).toBe(
      'attachment; filename="werksessie-pact-7-1-26-september-rapport.docx"',
    )
    const { xml } = await documentXml(new Uint8Array(await docx.arrayBuffer()))
    expect(xml).toContain('Themamatrix')
    const bad = await fetch(url('pdf', board.tokens.facilitator))
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: string }).error).toBe(
      'Unsupported format "pdf"; supported: docx, html',
    )
    expect((await fetch(url('html'))).status).toBe(401)
    expect((await fetch(url('html', 'x'.repeat(32)))).status).toBe(401)
  })

  it('[RP3] the HTML report prints from Chromium to A4 landscape PDF without cut-off tables, every card in it', async () => {
    const { page, context, foreignRequests } = await openPage(browser, app.url)
    try {
      await page.setViewportSize(LAPTOP)
      await page.goto(url('html', board.tokens.observer))
      await screenshot(page, 'report-html-laptop')
      // Laid out as printed: A4 landscape less the 12 mm margins is 273 mm wide (1032 CSS px).
      await page.emulateMedia({ media: 'print' })
      await page.setViewportSize({ width: 1032, height: 730 })
      const overflow = await page.evaluate(() => {
        const width = document.documentElement.clientWidth
        const problems: string[] = []
        for (const table of document.querySelectorAll('table')) {
          const box = table.getBoundingClientRect()
          if (box.right > width + 0.5 || box.left < -0.5)
            problems.push(`table ${box.left}–${box.right} > ${width}`)
          for (const cell of table.querySelectorAll('th, td')) {
            if (cell.scrollWidth > cell.clientWidth + 1) problems.push(`cell "${cell.textContent}" overflows`)
          }
        }
        for (const svg of document.querySelectorAll('svg')) {
          if (svg.getBoundingClientRect().right > width + 0.5) problems.push('chart wider than the page')
        }
        return { problems, tables: document.querySelectorAll('table thead').length }
      })
      expect(overflow.problems).toEqual([])
      expect(overflow.tables).toBeGreaterThanOrEqual(7)
      fs.mkdirSync(ARTIFACTS, { recursive: true })
      const pdf = path.join(ARTIFACTS, 'report-html.pdf')
      await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true })
      const sizes = await pdfPageSizes(pdf)
      for (const size of sizes) {
        expect(Math.round(size.width)).toBe(842)
        expect(Math.round(size.height)).toBe(595)
      }
      const pages = await pdfPages(pdf)
      await pdfToPngs(pdf, 'report-html')
      const text = flat(pages.join('\n'))
      for (const card of pact.cards ?? []) expect(text).toContain(titleOf(card.number ?? 0))
      for (const heading of [
        'Verloop van de werksessie',
        'Shortlist',
        'Themamatrix',
        'Planning',
        'Uitslag van de stemming',
      ])
        expect(text).toContain(heading)
      // A table that continues on the next page repeats its header there.
      const matrixPages = pages.filter((p) => p.includes('Longlist') && p.includes('Lijst'))
      expect(matrixPages.length).toBeGreaterThan(0)
      expect(foreignRequests).toEqual([])
    } finally {
      await context.close()
    }
  }, 120_000)

  it('[RP5] the DOCX report opens in LibreOffice: A4 landscape pages with the shortlist, the matrix, the planning and the chart', async () => {
    const res = await fetch(url('docx', board.tokens.observer))
    const pdf = await officeToPdf(tempFile('report-docx.docx', new Uint8Array(await res.arrayBuffer())))
    const kept = path.join(ARTIFACTS, 'report-docx.pdf')
    fs.mkdirSync(ARTIFACTS, { recursive: true })
    fs.copyFileSync(pdf, kept)
    const sizes = await pdfPageSizes(kept)
    for (const size of sizes) expect(size.width).toBeGreaterThan(size.height)
    const pages = await pdfPages(kept)
    expect(await pdfToPngs(kept, 'report-docx')).toHaveLength(pages.length)
    const text = flat(pages.join('\n'))
    for (const card of pact.cards ?? []) expect(text).toContain(titleOf(card.number ?? 0))
    for (const heading of ['Shortlist', 'Themamatrix', 'Planning', 'Uitslag van de stemming', 'Koppelkansen'])
      expect(text).toContain(heading)
    // The table header comes back on every page a table runs onto.
    for (const page of pages.filter((p) => /Omschrijving actie/.test(p) || /Stakeholders/.test(p)))
      expect(page).toContain('Omschrijving actie')
  }, 180_000)
})

describe('the phases and their times', () => {
  it('[RP7] a phase change is noted with its time, a repeat is not, a malformed log entry is ignored; the report turns the log into stretches', () => {
    const doc = new Y.Doc()
    const { cards: _cards, ...template } = pact
    initBoard(doc, template, { id: 'b', title: 'T', now: SESSION_DAY })
    expect(readPhaseLog(doc)).toEqual([])
    expect(gatherReport(doc, MADE_AT).phases).toEqual([
      { phase: 'verzamelen', label: 'Verzamelen', start: SESSION_DAY, end: null },
    ])
    setPhase(doc, 'stemmen', undefined, SESSION_DAY + 60_000)
    setPhase(doc, 'stemmen', undefined, SESSION_DAY + 90_000)
    doc
      .getMap('meta')
      .set('phaseLog', [
        ...readPhaseLog(doc),
        { phase: 'feest', at: 1 },
        { phase: 'afgerond', at: 'later' },
        null,
      ])
    setPhase(doc, 'selecteren', undefined, SESSION_DAY + 120_000)
    expect(readPhaseLog(doc)).toEqual([
      { phase: 'stemmen', at: SESSION_DAY + 60_000 },
      { phase: 'selecteren', at: SESSION_DAY + 120_000 },
    ])
    // Collecting began when the board was made.
    expect(phaseSpans(readPhaseLog(doc), SESSION_DAY)).toEqual([
      { phase: 'verzamelen', label: 'Verzamelen', start: SESSION_DAY, end: SESSION_DAY + 60_000 },
      { phase: 'stemmen', label: 'Stemmen', start: SESSION_DAY + 60_000, end: SESSION_DAY + 120_000 },
      { phase: 'selecteren', label: 'Selecteren', start: SESSION_DAY + 120_000, end: null },
    ])
  })
})

describe('a large board', () => {
  it('[RP8] the vote chart of a board with 300 voted cards shows the 30 with the most votes, and stays a picture of sane size', async () => {
    const doc = new Y.Doc()
    const { cards: _cards, ...template } = pact
    initBoard(doc, template, { id: 'big', title: 'Groot', now: SESSION_DAY })
    const ids = createCards(
      doc,
      Array.from({ length: 300 }, (_, i) => ({
        fields: { actie: `Actie nummer ${i + 1}`, thema: ['zorg'] },
      })),
    )
    setVoting(doc, { revealed: true })
    writeVoteTotals(doc, new Map(ids.map((id, i) => [id, 1 + (i % 40)])))
    const chart = rankingChart(gatherReport(doc, MADE_AT))
    wellFormed(chart)
    expect(chart.match(/>\d+ stemmen</g)).toHaveLength(30)
    expect(chart).toContain('de 30 acties met de meeste stemmen')
    const { zip } = await documentXml((await renderReport(doc, 'docx', MADE_AT)).body)
    const png = (await zip.file(/^word\/media\/.*\.png$/)[0]?.async('nodebuffer')) as Buffer
    expect(png.readUInt32BE(16)).toBe(1920)
    expect(png.readUInt32BE(20)).toBeLessThan(3000)
  }, 60_000)
})
