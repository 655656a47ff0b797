import fs from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { SaxesParser } from 'saxes'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listCards } from '../../model/read.js'
import { expectNoAxeViolations } from '../helpers/axe.js'
import {
  ARTIFACTS,
  BEAMER,
  browserSuite,
  LAPTOP,
  NARROW,
  PHONE,
  screenshot,
  type TestPage,
} from '../helpers/browser.js'
import { connectClient, type TestClient } from '../helpers/clients.js'
import { sidewaysOverflow } from '../helpers/page-width.js'
import { setBoardPhase } from '../helpers/phase.js'
import { type BoardInfo, createBoard } from '../helpers/server.js'
import { untilDoc } from '../helpers/wait.js'

/**
 * Issue 13: the matrix, planning and results-chart views of the Pact 7.1 werksessie (20 actions), and
 * their SVG/PNG downloads, in Chromium, on a laptop (1440×900), a phone (390×844) and a beamer.
 */
const suite = browserSuite()
let board: BoardInfo
let facilitator: TestPage
let other: TestClient
const TITLE = 'Werksessie Pact 7.1'

beforeAll(async () => {
  board = await createBoard(suite.app.url, 'pact-westfriesland-7.1', TITLE)
  facilitator = await suite.open('Fleur (facilitator)', 'list')
  await facilitator.context.addInitScript(recordDownloads)
  await facilitator.page.setViewportSize(LAPTOP)
  await facilitator.page.goto(`${suite.app.url}/b/${board.id}?token=${board.tokens.facilitator}`)
  await facilitator.page.locator('[data-connection="connected"]').waitFor()
  // Another participant's client: the stock y-websocket client, in Node.
  other = connectClient(suite.app.url, board.id, board.tokens.observer)
  await other.synced
})
afterAll(() => {
  other?.destroy()
})

/**
 * In the page: downloads (browsers in tests cannot save files) are kept in `window.downloads` with
 * their name and blob instead of being saved.
 */
function recordDownloads(): void {
  const blobs = new Map<string, Blob>()
  const saved: { name: string; blob: Blob }[] = []
  ;(window as unknown as { downloads: typeof saved }).downloads = saved
  const create = URL.createObjectURL.bind(URL)
  URL.createObjectURL = (object: Blob | MediaSource) => {
    const url = create(object)
    if (object instanceof Blob) blobs.set(url, object)
    return url
  }
  const click = HTMLAnchorElement.prototype.click
  HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
    const blob = this.download ? blobs.get(this.href) : undefined
    if (blob) saved.push({ name: this.download, blob })
    else click.call(this)
  }
}

interface Download {
  name: string
  type: string
  text: string
  /** PNG: its first bytes, width and height as the browser decodes it. */
  png?: { signature: number[]; width: number; height: number }
  /** SVG: what the browser's own XML parser makes of it. */
  xmlError?: string | null
}

/** Clicks a download button and returns what would have been saved. */
async function download(page: Page, label: string): Promise<Download> {
  const before = await page.evaluate(() => (window as unknown as { downloads: unknown[] }).downloads.length)
  await page.getByRole('button', { name: label }).click()
  await page.waitForFunction(
    (n) => (window as unknown as { downloads: unknown[] }).downloads.length > n,
    before,
  )
  return page.evaluate(async () => {
    const { name, blob } = (window as unknown as { downloads: { name: string; blob: Blob }[] }).downloads.at(
      -1,
    ) as { name: string; blob: Blob }
    const result: Download = { name, type: blob.type, text: '' }
    if (blob.type === 'image/png') {
      const bytes = new Uint8Array(await blob.arrayBuffer())
      const bitmap = await createImageBitmap(blob)
      result.png = { signature: [...bytes.slice(0, 8)], width: bitmap.width, height: bitmap.height }
    } else {
      result.text = await blob.text()
      const parsed = new DOMParser().parseFromString(result.text, 'image/svg+xml')
      result.xmlError = parsed.querySelector('parsererror')?.textContent ?? null
      if (parsed.documentElement.nodeName !== 'svg') result.xmlError ??= parsed.documentElement.nodeName
    }
    return result
  })
}

/** Parses with a real XML parser in Node: throws on the first well-formedness error. */
function parseXml(xml: string): string[] {
  const parser = new SaxesParser({ xmlns: true })
  const names: string[] = []
  let error: Error | null = null
  parser.on('error', (e) => {
    error ??= e
  })
  parser.on('opentag', (tag) => names.push(tag.local))
  parser.write(xml).close()
  if (error) throw error
  return names
}

/** Screenshots at the three sizes (and no sideways page scroll at 320 px), back to the laptop. */
async function photograph(page: Page, name: string): Promise<void> {
  await page.setViewportSize(LAPTOP)
  await screenshot(page, `${name}-laptop`)
  await page.setViewportSize(BEAMER)
  await screenshot(page, `${name}-beamer`)
  await page.setViewportSize(PHONE)
  expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0)
  await screenshot(page, `${name}-phone`)
  await page.setViewportSize(NARROW)
  expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0)
  await page.setViewportSize(LAPTOP)
}

/** Keeps a downloaded picture in test-results/ to look at. */
function keep(file: Download, name: string): void {
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  fs.writeFileSync(path.join(ARTIFACTS, name), file.text)
}

function expectValidSvg(file: Download, view: string): void {
  expect(file.name).toMatch(new RegExp(`^werksessie-pact-7-1-${view}-\\d{4}-\\d{2}-\\d{2}\\.svg$`))
  expect(file.type).toBe('image/svg+xml;charset=utf-8')
  expect(file.xmlError).toBeNull()
  expect(parseXml(file.text)[0]).toBe('svg')
  expect(file.text).toContain(TITLE)
  // The date, as the interface writes it (Dutch by default).
  const today = new Intl.DateTimeFormat('nl-NL', { dateStyle: 'long' }).format(new Date())
  expect(file.text).toContain(today)
}

function expectPng(file: Download): void {
  expect(file.type).toBe('image/png')
  expect(file.png?.signature).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  expect(file.png?.width).toBeGreaterThan(800)
  expect(file.png?.height).toBeGreaterThan(300)
}

describe('matrix, planning and results views in Chromium', { timeout: 90_000 }, () => {
  it('[VW1] the matrix shows every card × the six themes; a keyboard toggle reaches another client', async () => {
    const { page } = facilitator
    await page.getByRole('radio', { name: 'Matrix' }).check()
    const table = page.locator('table.matrix')
    await expect.poll(() => table.locator('tbody tr').count()).toBe(20)
    expect(await table.locator('thead th').allTextContents()).toEqual([
      'Nr.▲',
      'Actie',
      'Lijst',
      'Wonen en Leefbaarheid',
      'Energietransitie en klimaatadaptatie',
      'Onderwijs en Arbeidsmarkt',
      'Vrije tijd',
      'Ondernemen en Economie',
      'Zorg en Sociaal domein',
    ])
    // Card 1 of the Pact: Onderwijs and Economie.
    const row1 = table.locator('tbody tr').first()
    expect(
      await row1.locator('button.mark[data-on="true"]').evaluateAll((b) => b.map((x) => x.dataset.theme)),
    ).toEqual(['onderwijs', 'economie'])
    // One Tab stop for all 120 cells: Tab from the first card's title lands on its first cell.
    const tabbable = await table
      .locator('button.mark')
      .evaluateAll((buttons) => buttons.filter((b) => (b as HTMLElement).tabIndex === 0).length)
    expect(tabbable).toBe(1)
    await row1.locator('button[data-action="open"]').focus()
    await page.keyboard.press('Tab')
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Thema Wonen en Leefbaarheid bij actie 1: uit')
    // Two to the right, two down: Onderwijs for card 3; Space switches it.
    for (const key of ['ArrowRight', 'ArrowRight', 'ArrowDown', 'ArrowDown']) await page.keyboard.press(key)
    const label = await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))
    expect(label).toMatch(/^Thema Onderwijs en Arbeidsmarkt bij actie 3: (aan|uit)$/)
    const wasOn = label?.endsWith('aan')
    await page.keyboard.press('Space')
    const card3 = () => listCards(other.doc).find((card) => card.number === 3)
    await untilDoc(
      other.doc,
      () => ((card3()?.fields.thema ?? []) as string[]).includes('onderwijs') !== wasOn,
    )
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe(`Thema Onderwijs en Arbeidsmarkt bij actie 3: ${wasOn ? 'uit' : 'aan'}`)
    await expect
      .poll(() => page.locator('[aria-live="polite"]').textContent())
      .toContain('Actie 3: thema Onderwijs')
    // Sorting by a theme puts the cards with it first.
    await table.getByRole('button', { name: 'Energietransitie en klimaatadaptatie', exact: true }).click()
    const marks = await table
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) => r.querySelector('[data-theme="energie"]')?.getAttribute('data-on')),
      )
    const withEnergy = marks.filter((m) => m === 'true').length
    expect(withEnergy).toBeGreaterThan(0)
    expect(marks.slice(0, withEnergy).every((m) => m === 'true')).toBe(true)
    expect(await table.locator('th[aria-sort="ascending"]').textContent()).toContain('Energietransitie')
    await expectNoAxeViolations(page, 'matrix')
    await photograph(page, 'views-matrix')
  })

  it('[VW2] the planning shows every card with the text of each period', async () => {
    const { page } = facilitator
    await page.getByRole('radio', { name: 'Planning' }).check()
    const table = page.locator('table.planning')
    await expect.poll(() => table.locator('tbody tr').count()).toBe(20)
    expect(await table.locator('thead th').allTextContents()).toEqual([
      'Nr.',
      'Actie',
      'Korte termijn (’20-’21)',
      'Lange termijn (’22-’24)',
    ])
    expect(await table.locator('tbody tr').first().locator('td.col-period').allTextContents()).toEqual([
      'Aanvraag deel',
      'Uitvoering',
    ])
    expect(await table.locator('caption').textContent()).toBe('Planning per actie (20 kaarten)')
    await expectNoAxeViolations(page, 'planning')
    await photograph(page, 'views-planning')
  })

  it('[VW3] the matrix and planning downloads are valid SVG and PNG with the title and the date', async () => {
    const { page } = facilitator
    await page.getByRole('radio', { name: 'Matrix' }).check()
    const matrix = await download(page, 'Matrix downloaden als SVG')
    expectValidSvg(matrix, 'matrix')
    keep(matrix, 'views-matrix.svg')
    expect(parseXml(matrix.text).filter((n) => n === 'circle').length).toBeGreaterThanOrEqual(20)
    expectPng(await download(page, 'Matrix downloaden als PNG'))
    await page.getByRole('radio', { name: 'Planning' }).check()
    const planning = await download(page, 'Planning downloaden als SVG')
    expectValidSvg(planning, 'planning')
    keep(planning, 'views-planning.svg')
    expect(planning.text).toContain('Aanvraag deel')
    expectPng(await download(page, 'Planning downloaden als PNG'))
    expect(facilitator.foreignRequests).toEqual([])
  })

  it('[VW4] results: a bar chart after the reveal, with the voters and a table; its downloads', async () => {
    const { page } = facilitator
    await setBoardPhase(suite.app.url, board, 'stemmen')
    const ids = listCards(other.doc).map((card) => card.id)
    for (const [voter, cards] of [
      ['stemmer-een-xxxxxxxxxxxxxxxx', [0, 1, 2]],
      ['stemmer-twee-xxxxxxxxxxxxxxx', [0, 1, 5]],
      ['stemmer-drie-xxxxxxxxxxxxxxx', [0, 7, 9]],
    ] as const) {
      for (const i of cards) {
        const res = await fetch(`${suite.app.url}/api/boards/${board.id}/votes`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${board.tokens.participant}`,
            'x-werkbord-voter': voter,
          },
          body: JSON.stringify({ cardId: ids[i], delta: 1 }),
        })
        expect(res.status).toBe(200)
      }
    }
    await page.getByRole('radio', { name: 'Uitslag' }).check()
    await expect.poll(() => page.locator('.ranking-voters').textContent()).toBe('3 deelnemers hebben gestemd')
    // No chart before the reveal.
    expect(await page.locator('img[data-chart]').count()).toBe(0)
    const reveal = await fetch(`${suite.app.url}/api/boards/${board.id}/votes/reveal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${board.tokens.facilitator}` },
      body: JSON.stringify({ revealed: true }),
    })
    expect(reveal.status).toBe(200)
    const chart = page.locator('img[data-chart="ranking"]')
    await chart.waitFor()
    await expect
      .poll(() => chart.evaluate((img) => (img as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0)
    expect(await chart.getAttribute('alt')).toBe(
      'Stemmen per actie, 20 kaarten; 3 deelnemers hebben gestemd.',
    )
    expect(await page.locator('.chart-figure figcaption').textContent()).toBe('3 deelnemers hebben gestemd')
    // The table alternative: every card, most votes first.
    await page.getByText('Het diagram als tabel').click()
    const rows = page.locator('.chart-table tbody tr')
    expect(await rows.count()).toBe(20)
    const votes = await rows.evaluateAll((r) => r.map((row) => Number(row.getAttribute('data-votes'))))
    expect(votes.slice(0, 3)).toEqual([3, 2, 1])
    expect(votes).toEqual([...votes].sort((a, b) => b - a))
    await expectNoAxeViolations(page, 'results chart')
    const svg = await download(page, 'Uitslag downloaden als SVG')
    expectValidSvg(svg, 'uitslag')
    keep(svg, 'views-results.svg')
    expect(svg.text).toContain('3 deelnemers hebben gestemd')
    expect(svg.text).toContain('3 stemmen')
    expectPng(await download(page, 'Uitslag downloaden als PNG'))
    await photograph(page, 'views-results')
    expect(facilitator.foreignRequests).toEqual([])
  })

  it('[VW5] a participant sees the matrix read-only while voting: marks as text, no buttons', async () => {
    const tp = await suite.open('Piet', 'list')
    try {
      await tp.page.setViewportSize(PHONE)
      await tp.page.goto(`${suite.app.url}/b/${board.id}?token=${board.tokens.participant}`)
      await tp.page.locator('[data-connection="connected"]').waitFor()
      // On a phone the views are behind the header's menu.
      await tp.page.getByRole('button', { name: 'Menu' }).click()
      await tp.page.getByRole('radio', { name: 'Matrix' }).check()
      const table = tp.page.locator('table.matrix')
      await expect.poll(() => table.locator('tbody tr').count()).toBe(20)
      expect(await table.locator('button.mark').count()).toBe(0)
      expect(
        await table.locator('tbody tr').first().locator('.mark[data-on="true"] .visually-hidden').count(),
      ).toBe(2)
      expect(await sidewaysOverflow(tp.page)).toBeLessThanOrEqual(0)
      await expectNoAxeViolations(tp.page, 'matrix read-only on a phone')
      await screenshot(tp.page, 'views-matrix-readonly-phone')
    } finally {
      await tp.context.close()
    }
  })
  it('[VW6] the canvas and one lane download as SVG and PNG through tldraw’s export, nothing from elsewhere', async () => {
    const { page } = facilitator
    await page.getByRole('radio', { name: 'Canvas' }).check()
    await page.locator('.canvas-card').first().waitFor()
    await page.getByText('Canvas downloaden').click()
    const whole = await download(page, 'Canvas downloaden als SVG')
    expect(whole.name).toMatch(/^werksessie-pact-7-1-canvas-\d{4}-\d{2}-\d{2}\.svg$/)
    expect(whole.xmlError).toBeNull()
    keep(whole, 'views-canvas.svg')
    const names = parseXml(whole.text)
    expect(names[0]).toBe('svg')
    // The cards as SVG (no HTML inside a foreignObject), with their titles; the title and date above.
    expect(names).not.toContain('foreignObject')
    expect(whole.text).toContain('MKB-strategie')
    expect(whole.text).toContain(TITLE)
    expect(whole.text).toContain(new Intl.DateTimeFormat('nl-NL', { dateStyle: 'long' }).format(new Date()))
    await page.getByLabel('Wat').selectOption({ label: 'Alleen Longlist' })
    const lane = await download(page, 'Canvas downloaden als SVG')
    expect(lane.name).toMatch(/^werksessie-pact-7-1-canvas-longlist-/)
    expect(parseXml(lane.text)[0]).toBe('svg')
    expect(lane.text).toContain('Canvas: Longlist')
    keep(lane, 'views-canvas-longlist.svg')
    expectPng(await download(page, 'Canvas downloaden als PNG'))
    expect(facilitator.foreignRequests).toEqual([])
    await screenshot(page, 'views-canvas-downloads-laptop')
  })
  it('[VW7] the planning of Zuid-Kennemerland (quarters) and of Sociaal Domein (the steps of its tijdspad)', async () => {
    const tp = await suite.open('Fleur (facilitator)', 'list')
    try {
      const { page } = tp
      await page.setViewportSize(LAPTOP)
      for (const [template, columns, cell, shot] of [
        [
          'zuid-kennemerland-2021-2023',
          ['2021-Q3', '2021-Q4', '2022-Q1', '2022-Q2', '2022-Q3', '2022-Q4'],
          'Bespreking in de radenbijeenkomst',
          'views-planning-zuid-kennemerland-laptop',
        ],
        [
          'sociaal-domein-kop-nh',
          ['Stap 1', 'Stap 2', 'Stap 3', 'Stap 4', 'Stap 5', 'Stap 6', 'Stap 7'],
          'Opstellen van een leidraad: 3 maanden',
          'views-planning-sociaal-domein-laptop',
        ],
      ] as const) {
        const other = await createBoard(suite.app.url, template, `Werksessie ${template}`)
        await page.goto(`${suite.app.url}/b/${other.id}?token=${other.tokens.facilitator}`)
        await page.locator('[data-connection="connected"]').waitFor()
        await page.getByRole('radio', { name: 'Planning' }).check()
        const table = page.locator('table.planning')
        await table.locator('tbody tr').first().waitFor()
        expect(await table.locator('thead th.col-period').allTextContents()).toEqual(columns)
        expect(await table.locator('td.col-period').allTextContents()).toContain(cell)
        await expectNoAxeViolations(page, `planning ${template}`)
        await screenshot(page, shot)
      }
    } finally {
      await tp.context.close()
    }
  })
})
