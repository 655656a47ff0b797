import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import Papa from 'papaparse'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { initBoard } from '../../model/board.js'
import { createCard, moveCard, setCriterion } from '../../model/cards.js'
import { exportBoard } from '../../model/export.js'
import { cardsOf } from '../../model/layout.js'
import { linkCards } from '../../model/links.js'
import { setVoting, writeVoteTotals } from '../../model/voting.js'
import type { App } from '../../server/app.js'
import { toCsv } from '../../server/export/csv.js'
import { toDocx } from '../../server/export/docx.js'
import { toMarkdown } from '../../server/export/markdown.js'
import { toXlsx } from '../../server/export/xlsx.js'
import { type BoardInfo, createBoard, startServer } from '../helpers/server.js'
import { loadTemplate } from '../model/helpers.js'

async function documentXml(docx: Buffer | ArrayBuffer): Promise<string> {
  const zip = await JSZip.loadAsync(docx)
  return (await zip.file('word/document.xml')?.async('string')) ?? ''
}

let app: App
let pact: BoardInfo

interface Exported {
  cards: { number: number; lane: string; fields: Record<string, unknown> }[]
}

const auth = (token: string) => ({ authorization: `Bearer ${token}` })

async function exportAs(board: BoardInfo, format: string, lane = 'shortlist'): Promise<Response> {
  const res = await fetch(`${app.url}/api/boards/${board.id}/export?format=${format}&lane=${lane}`, {
    headers: auth(board.tokens.observer),
  })
  expect(res.status).toBe(200)
  return res
}

async function importInto(board: BoardInfo, body: BodyInit, type: string, query = ''): Promise<Response> {
  return fetch(`${app.url}/api/boards/${board.id}/import${query}`, {
    method: 'POST',
    headers: { 'content-type': type, ...auth(board.tokens.facilitator) },
    body,
  })
}

const shortlistCards: Record<string, unknown>[] = [
  {
    actie: 'Regiomarketing WF organiseren',
    omschrijving:
      'Samenspel tussen productontwikkeling en promotie; tussen ondernemers, overheid en marketingorganisaties',
    doel: 'Een sterk WF merk voor vrijetijdseconomie\nEen structurele publiek-private samenwerking',
    ambities: 'Publiek-private samenwerking | versterking product',
    thema: ['vrije-tijd', 'economie'],
    schaalniveau: 'regionaal',
    planning: { kort: 'Opzetten', lang: 'Uitvoeren' },
    partijen: ['Ondernemers', 'Provincie (wonen, RO, EZ)', 'culturele instel. (musea)'],
  },
  {
    actie: '=SOM(1;2) is géén formule maar tekst “zo”',
    doel: '- eerste punt\n- tweede punt met ë en ’',
    thema: ['zorg'],
    planning: { kort: '', lang: '2023/24 actualisatie' },
    partijen: ['GGD'],
  },
]

beforeAll(async () => {
  app = await startServer()
  pact = await createBoard(app.url, 'pact-westfriesland-7.1', 'Werksessie Pact 7.1 | export')
  // Two cards of our own, moved to the shortlist in this order.
  const res = await importInto(
    pact,
    JSON.stringify(shortlistCards.map((fields) => ({ fields }))),
    'application/json',
  )
  const { ids } = (await res.json()) as { ids: string[] }
  const { WebsocketProvider } = await import('y-websocket')
  const WebSocket = (await import('ws')).default
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(`${app.url.replace('http', 'ws')}/sync`, pact.id, doc, {
    params: { token: pact.tokens.facilitator },
    WebSocketPolyfill: WebSocket as never,
    disableBc: true,
  })
  await new Promise<void>((resolve) => provider.once('sync', () => resolve()))
  for (const id of ids) moveCard(doc, id, 'shortlist')
  const before = (await (await exportAs(pact, 'json')).json()) as Exported
  if (before.cards.length !== 2) {
    await new Promise<void>((resolve) => {
      const check = async () => {
        const now = (await (await exportAs(pact, 'json')).json()) as Exported
        if (now.cards.length === 2) resolve()
        else setImmediate(check)
      }
      void check()
    })
  }
  provider.destroy()
})
afterAll(async () => {
  await app.close()
})

describe('exports of the shortlist', () => {
  it('[E1] CSV opens in Dutch Excel: BOM, semicolons, CRLF, quoted cells with line breaks, exact text', async () => {
    const res = await exportAs(pact, 'csv')
    expect(res.headers.get('content-type')).toContain('text/csv')
    expect(res.headers.get('content-disposition')).toContain('werksessie-pact-7-1-export-shortlist.csv')
    const bytes = Buffer.from(await res.arrayBuffer())
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = bytes.toString('utf8').slice(1)
    expect(text.split('\r\n')[0]).toMatch(/^"Nr";"Lijst";"Thema";"Actie";/)
    const rows = Papa.parse<string[]>(text.trim(), { delimiter: ';' }).data
    const header = rows[0] as string[]
    const col = (name: string) => header.indexOf(name)
    expect(rows).toHaveLength(3)
    expect(rows[1]?.[col('Actie')]).toBe('Regiomarketing WF organiseren')
    expect(rows[1]?.[col('Doel')]).toBe(
      'Een sterk WF merk voor vrijetijdseconomie\nEen structurele publiek-private samenwerking',
    )
    expect(rows[1]?.[col('Thema')]).toBe('Vrije tijd; Ondernemen en Economie')
    expect(rows[1]?.[col('Stakeholders')]).toBe(
      'Ondernemers; Provincie (wonen, RO, EZ); culturele instel. (musea)',
    )
    expect(rows[1]?.[col('Planning – Korte termijn (’20-’21)')]).toBe('Opzetten')
    expect(rows[1]?.[col('Schaalniveau')]).toBe('Regionaal')
    expect(rows[2]?.[col('Actie')]).toBe("'=SOM(1;2) is géén formule maar tekst “zo”")
    expect(rows[2]?.[col('Doel')]).toBe("'- eerste punt\n- tweede punt met ë en ’")
    expect(rows[1]?.[col('Aangemaakt')]).toMatch(/^\d{2}-\d{2}-\d{4} \d{2}:\d{2}$/)
  })

  it('[E2] XLSX holds one row per shortlisted card, in order, with real dates', async () => {
    const res = await exportAs(pact, 'xlsx')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load((await res.arrayBuffer()) as ArrayBuffer)
    const sheet = workbook.worksheets[0]
    if (!sheet) throw new Error('no sheet')
    const header = (sheet.getRow(1).values as string[]).slice(1)
    expect(header.slice(0, 4)).toEqual(['Nr', 'Lijst', 'Thema', 'Actie'])
    expect(sheet?.rowCount).toBe(3)
    const cell = (row: number, name: string) => sheet?.getRow(row).getCell(header.indexOf(name) + 1).value
    expect(cell(2, 'Actie')).toBe('Regiomarketing WF organiseren')
    expect(cell(3, 'Actie')).toBe('=SOM(1;2) is géén formule maar tekst “zo”')
    expect(cell(2, 'Lijst')).toBe('Shortlist')
    expect(cell(2, 'Aangemaakt')).toBeInstanceOf(Date)
  })

  it('[E3] Markdown has a table per theme, with cells escaped', async () => {
    const md = await (await exportAs(pact, 'md')).text()
    expect(md).toContain('# Werksessie Pact 7.1 | export')
    const sections = md
      .split('\n## ')
      .slice(1)
      .map((section) => section.split('\n')[0])
    expect(sections).toEqual(['Vrije tijd', 'Zorg en Sociaal domein'])
    expect(md).toContain(
      'Een sterk WF merk voor vrijetijdseconomie<br>Een structurele publiek-private samenwerking',
    )
    expect(md).toContain('Publiek-private samenwerking \\| versterking product')
  })

  it('[E4] DOCX holds the annex table per theme with the board title and date', async () => {
    const res = await exportAs(pact, 'docx')
    const zip = await JSZip.loadAsync(await res.arrayBuffer())
    const xml = (await zip.file('word/document.xml')?.async('string')) ?? ''
    const tables = [...xml.matchAll(/<w:tbl>([\s\S]*?)<\/w:tbl>/g)].map((match) =>
      [...(match[1] ?? '').matchAll(/<w:tr[ >]([\s\S]*?)<\/w:tr>/g)].map((row) =>
        [...(row[1] ?? '').matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((cell) =>
          [...(cell[1] ?? '').matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(' '),
        ),
      ),
    )
    expect(xml).toContain('Werksessie Pact 7.1 | export')
    expect(xml).toMatch(/Geëxporteerd op \d{1,2} \w+ \d{4}/)
    expect(tables).toHaveLength(2)
    expect(tables[0]?.[0]).toEqual([
      'Nr',
      'Omschrijving actie',
      'Beoogd resultaat',
      'Aansluiting op ambities',
      'Planning korte termijn (’20-’21)',
      'Planning lange termijn (’22-’24)',
      'Stakeholders',
    ])
    const [row] = tables[0]?.slice(1) ?? []
    // Fields without a column of their own follow the description, labelled.
    expect(row?.[1]).toMatch(
      /^Regiomarketing WF organiseren Samenspel tussen productontwikkeling en promotie; tussen ondernemers, overheid en marketingorganisaties Thema: +Vrije tijd; Ondernemen en Economie Schaalniveau: +Regionaal Geselecteerd: +\d{2}-\d{2}-\d{4} \d{2}:\d{2}$/,
    )
    expect(row?.[2]).toBe(
      'Een sterk WF merk voor vrijetijdseconomie Een structurele publiek-private samenwerking',
    )
    expect(row?.[4]).toBe('Opzetten')
    expect(row?.[6]).toBe('Ondernemers Provincie (wonen, RO, EZ) culturele instel. (musea)')
    expect(tables[1]?.[1]?.[1]).toMatch(
      /^=SOM\(1;2\) is géén formule maar tekst “zo” Thema: +Zorg en Sociaal domein/,
    )
  })

  it('[E4b] DOCX leaves nothing out: extra fields, votes, criteria met, links and who selected', async () => {
    const doc = new Y.Doc()
    initBoard(doc, loadTemplate('zuid-kennemerland-2021-2023'), { id: 'zk', title: 'Zuid-Kennemerland' })
    const fields = { actie: 'Woonwerklocaties', trekker: 'Gemeente Haarlem', thema: ['wonen'], onbekend: 'x' }
    const a = createCard(doc, { fields })
    const b = createCard(doc, { fields: { actie: 'Fietsroutes', thema: ['wonen'] } })
    moveCard(doc, a, 'shortlist')
    // Who moved it and when: written by the server for the mover's connection (server/realtime/attribution.ts).
    const moved = cardsOf(doc).get(a) as Y.Map<unknown>
    moved.set('movedAt', Date.now())
    moved.set('movedBy', 'Anouk')
    moveCard(doc, b, 'shortlist')
    setCriterion(doc, a, 'urgentie', true)
    linkCards(doc, a, b, 'dilemma')
    setVoting(doc, { revealed: true })
    writeVoteTotals(doc, new Map([[a, 4]]))
    const exported = exportBoard(doc, { lane: 'shortlist' })
    const numberOf = (id: string) => exported.cards.find((card) => card.id === id)?.number
    const xml = await documentXml(await toDocx(exported))
    const text = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join('')
    expect(text).toContain('Trekker: Gemeente Haarlem')
    expect(text).toContain('onbekend: x')
    expect(text).toContain('Stemmen: 4')
    expect(text).toMatch(/Voldoet aan: [^:]*urgen/i)
    expect(text).toContain(`Koppelingen: dilemma met ${numberOf(b)}`)
    expect(text).toContain(`Koppelingen: dilemma met ${numberOf(a)}`)
    expect(text).toMatch(/Geselecteerd: \d{2}-\d{2}-\d{4} \d{2}:\d{2} door Anouk/)
  })

  it('[E5] an unknown format is a 400 naming the supported ones', async () => {
    const res = await fetch(`${app.url}/api/boards/${pact.id}/export?format=pdf`, {
      headers: auth(pact.tokens.observer),
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: string }).error).toContain('json, csv, xlsx, md, docx')
  })
})

describe('imports into the longlist', () => {
  it('[I1] CSV as Excel-NL writes it round-trips: export CSV → import into a new board → same fields', async () => {
    const csv = Buffer.from(await (await exportAs(pact, 'csv')).arrayBuffer())
    const target = await createBoard(app.url, 'pact-westfriesland-7.1', 'Doel')
    const before = ((await (await exportAs(target, 'json', 'longlist')).json()) as Exported).cards.length
    const res = await importInto(target, csv, 'text/csv')
    expect(res.status).toBe(200)
    const after = ((await (await exportAs(target, 'json', 'longlist')).json()) as Exported).cards.slice(
      before,
    )
    const source = ((await (await exportAs(pact, 'json')).json()) as Exported).cards
    expect(after.map((card) => card.fields)).toEqual(source.map((card) => card.fields))
  })

  it('[I2] a dry run previews cards and per-row problems; a broken file changes nothing', async () => {
    const target = await createBoard(app.url, 'pact-westfriesland-7.1', 'Proef')
    const csv =
      '\ufeffActie;Doel;Schaalniveau;Thema;Stakeholders;Opmerkingen\r\n' +
      '"Pilot ""Praktijkleren""";"Meer leerbanen;\r\nook in de zorg";Regionaal;Onderwijs en Arbeidsmarkt;"GGD; ROC";Let op\r\n' +
      'Tweede actie;;Wereldwijd;Ruimtevaart;;\r\n'
    const preview = await importInto(target, csv, 'text/csv; charset=utf-8', '?dryRun=1')
    expect(preview.status).toBe(200)
    const body = (await preview.json()) as {
      cards: { fields: Record<string, unknown> }[]
      problems: { row: number; column: string; message: string }[]
      columns: { header: string; target: string }[]
    }
    expect(body.cards[0]?.fields).toMatchObject({
      actie: 'Pilot "Praktijkleren"',
      doel: 'Meer leerbanen;\r\nook in de zorg',
      schaalniveau: 'regionaal',
      thema: ['onderwijs'],
      partijen: ['GGD', 'ROC'],
      opmerkingen: 'Let op',
    })
    expect(body.problems).toEqual([
      { row: 3, column: 'Schaalniveau', message: expect.stringContaining('"Wereldwijd" is not one of') },
      { row: 3, column: 'Thema', message: expect.stringContaining('"Ruimtevaart" is not one of') },
    ])
    expect(body.columns.find((c) => c.header === 'Opmerkingen')?.target).toBe('opmerkingen (extra)')
    const before = await (await exportAs(target, 'json', 'all')).json()
    const refused = await importInto(target, csv, 'text/csv')
    expect(refused.status).toBe(400)
    expect(await (await exportAs(target, 'json', 'all')).json()).toEqual({
      ...(before as object),
      board: expect.anything(),
    })
  })

  it('[I3] CSV saved by older Excel in Windows-1252 keeps its Dutch characters', async () => {
    const target = await createBoard(app.url, 'blank', 'Ansi')
    // "Coöperatie;Café ’s avonds" in Windows-1252: ö = F6, é = E9, ’ = 92 (not valid UTF-8).
    const latin = (text: string) => [...Buffer.from(text, 'latin1')]
    const bytes = Buffer.from([
      ...latin('Actie;Doel\r\nCo'),
      0xf6,
      ...latin('peratie;Caf'),
      0xe9,
      0x20,
      0x92,
      ...latin('s avonds\r\n'),
    ])
    const preview = await importInto(target, bytes, 'text/csv', '?dryRun=1')
    const body = (await preview.json()) as { cards: { fields: Record<string, unknown> }[] }
    expect(body.cards[0]?.fields).toMatchObject({ actie: 'Coöperatie', doel: 'Café ’s avonds' })
  })

  it('[I4] XLSX imports by header, with per-row problems', async () => {
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('Longlist')
    sheet.addRow(['Nr', 'Actie', 'Planning – Korte termijn (’20-’21)', 'planning.lang', 'Thema'])
    sheet.addRow([
      41,
      'Strategie werklocaties',
      'doorlopend',
      'doorlopend',
      'Wonen en Leefbaarheid, Ondernemen en Economie',
    ])
    sheet.addRow(['veertig', 'Tweede', '', '', ''])
    const target = await createBoard(app.url, 'pact-westfriesland-7.1', 'Xlsx')
    const type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
    const file = Buffer.from(await workbook.xlsx.writeBuffer())
    const preview = await importInto(target, file, type, '?dryRun=1')
    const body = (await preview.json()) as {
      cards: { number?: number; fields: Record<string, unknown> }[]
      problems: unknown[]
    }
    expect(body.cards[0]).toEqual({
      number: 41,
      fields: {
        actie: 'Strategie werklocaties',
        planning: { kort: 'doorlopend', lang: 'doorlopend' },
        thema: ['wonen', 'economie'],
      },
    })
    expect(body.problems).toEqual([{ row: 3, column: 'Nr', message: '"veertig" is not a card number' }])
    sheet.spliceRows(3, 1)
    const ok = await importInto(target, Buffer.from(await workbook.xlsx.writeBuffer()), type)
    expect(ok.status).toBe(200)
    const cards = ((await (await exportAs(target, 'json', 'longlist')).json()) as Exported).cards
    expect(cards.find((card) => card.number === 41)?.fields.actie).toBe('Strategie werklocaties')
  })

  it('[I5] a file that is not a spreadsheet is refused with a clear problem', async () => {
    const target = await createBoard(app.url, 'blank', 'Kapot')
    const res = await importInto(
      target,
      'geen excel',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    )
    expect(res.status).toBe(400)
    expect(JSON.stringify(await res.json())).toContain('not a readable .xlsx file')
    const wrongType = await importInto(target, 'x', 'image/png')
    expect(wrongType.status).toBe(415)
  })
})

/** A board whose participants typed what spreadsheets, Word and Markdown must not take at face value. */
function hostileExport(texts: Record<string, string>) {
  const doc = new Y.Doc()
  initBoard(doc, loadTemplate('pact-westfriesland-7.1'), { id: 'h', title: 'Vijandig\u0001 bord' })
  for (const [actie, doel] of Object.entries(texts)) {
    const id = createCard(doc, { fields: { actie, doel, thema: ['zorg'] } })
    moveCard(doc, id, 'shortlist')
  }
  return exportBoard(doc, { lane: 'shortlist' })
}

async function sheetOf(xlsx: Buffer) {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(xlsx as unknown as ArrayBuffer)
  const sheet = workbook.worksheets[0]
  if (!sheet) throw new Error('no sheet')
  const header = (sheet.getRow(1).values as string[]).slice(1)
  return { sheet, cell: (row: number, name: string) => sheet.getRow(row).getCell(header.indexOf(name) + 1) }
}

/** Every XML part of an Office file, as text. */
async function xmlParts(file: Buffer): Promise<string[]> {
  const zip = await JSZip.loadAsync(file)
  return Promise.all(
    Object.values(zip.files)
      .filter((entry) => /\.(xml|rels)$/.test(entry.name))
      .map((entry) => entry.async('string')),
  )
}

// What XML 1.0 forbids; Word and Excel refuse the whole file when a part holds one.
function forbiddenInXml(xml: string): string[] {
  return [...xml].filter((ch) => {
    const code = ch.codePointAt(0) ?? 0
    const control = code < 0x20 && ![0x09, 0x0a, 0x0d].includes(code)
    return control || code === 0xfffe || code === 0xffff || (code >= 0xd800 && code <= 0xdfff)
  })
}

describe('exports of hostile text', () => {
  const attack = "-2+3+cmd|' /C calc'!A0"

  it('[SX1] CSV: a cell starting with =, +, -, @, tab or CR gets a leading apostrophe (DDE: -2+3+cmd|…)', async () => {
    const starts = [attack, '=1+1', '+31 6 1234', '@SUM(A1)', '\tTab', '\rCR', '- opsomming']
    const exported = hostileExport(Object.fromEntries(starts.map((text, i) => [text, `doel ${i}`])))
    const rows = Papa.parse<string[]>(toCsv(exported).slice(1).trim(), { delimiter: ';' }).data
    const col = (rows[0] as string[]).indexOf('Actie')
    expect(rows.slice(1).map((row) => row[col])).toEqual(starts.map((text) => `'${text}`))
    // Our own import takes the apostrophe off again.
    const target = await createBoard(app.url, 'pact-westfriesland-7.1', 'Terug')
    const preview = await importInto(target, toCsv(exported), 'text/csv', '?dryRun=1')
    const body = (await preview.json()) as { cards: { fields: Record<string, unknown> }[] }
    expect(body.cards.map((card) => card.fields.actie)).toEqual(starts)
  })

  it('[SX2] XLSX: texts are never formulas, and formula-like texts keep the Text format when edited', async () => {
    const { cell } = await sheetOf(await toXlsx(hostileExport({ [attack]: '=HYPERLINK("http://x")' })))
    expect(cell(2, 'Actie').value).toBe(attack)
    expect(cell(2, 'Actie').numFmt).toBe('@')
    expect(cell(2, 'Doel').value).toBe('=HYPERLINK("http://x")')
    expect(cell(2, 'Doel').numFmt).toBe('@')
    expect(cell(2, 'Actie').formula).toBeUndefined()
  })

  it('[SX3] DOCX and XLSX leave out characters XML forbids (\\x01, \\x0b, \\x1f, U+FFFE, lone surrogates)', async () => {
    const exported = hostileExport({
      'Actie\u0001 met\u000b stuurtekens\u001f\ufffe': 'Doel \ud800 en \uffff 😀',
    })
    for (const file of [await toDocx(exported), await toXlsx(exported)]) {
      const parts = await xmlParts(file)
      expect(parts.length).toBeGreaterThan(3)
      for (const xml of parts) expect(forbiddenInXml(xml)).toEqual([])
      expect(parts.join('')).toContain('Actie met stuurtekens')
      expect(parts.join('')).toContain('Doel  en  😀')
    }
  })

  it('[SX4] a 40,000-character cell is cut at Excel’s 32,767, visibly marked "(ingekort)"', async () => {
    const long = 'x'.repeat(40_000)
    const exported = hostileExport({ [long]: `=${long}` })
    const { cell } = await sheetOf(await toXlsx(exported))
    for (const name of ['Actie', 'Doel']) {
      const value = cell(2, name).value as string
      expect(value).toHaveLength(32_767)
      expect(value.endsWith('(ingekort)')).toBe(true)
    }
    const rows = Papa.parse<string[]>(toCsv(exported).slice(1).trim(), { delimiter: ';' }).data
    const header = rows[0] as string[]
    for (const name of ['Actie', 'Doel']) {
      const value = rows[1]?.[header.indexOf(name)] as string
      expect(value).toHaveLength(32_767)
      expect(value.endsWith('(ingekort)')).toBe(true)
    }
    expect(rows[1]?.[header.indexOf('Doel')]?.startsWith("'=")).toBe(true)
  })

  it('[SX5] Markdown: no cell, title or theme can start a heading or break its table', () => {
    const exported = hostileExport({
      'Eerste\r# Kop uit een cel': 'a\r\n---\r\n| x | y |',
      'Tweede\n## Nog een kop': 'pijp | in \\| tekst\r\r',
    })
    exported.board.title = 'Titel\r# Ingevoegd'
    const md = toMarkdown(exported)
    const lines = md.split(/\r\n|\r|\n/)
    expect(lines.filter((line) => /^#/.test(line))).toEqual([
      '# Titel \\# Ingevoegd',
      '## Zorg en Sociaal domein',
    ])
    const table = lines.filter((line) => line.startsWith('|'))
    const cellsOf = (line: string) => line.split(/(?<!\\)\|/).length
    expect(table).toHaveLength(4)
    expect(new Set(table.map(cellsOf)).size).toBe(1)
  })
})
