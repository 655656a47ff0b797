import { SaxesParser } from 'saxes'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { initBoard } from '../../model/board.js'
import { createCard, deleteCard, moveCard, setText } from '../../model/cards.js'
import { templateOf } from '../../model/layout.js'
import { listCards } from '../../model/read.js'
import { setTheme } from '../../model/themes.js'
import {
  boardMatrix,
  boardPlanning,
  boardRanking,
  matrixSvg,
  planningOf,
  planningSteps,
  planningSvg,
  rankingSvg,
  rankOrder,
  sortMatrixRows,
  xmlText,
} from '../../model/views/index.js'
import { setVoting, writeVoterCount, writeVoteTotals } from '../../model/voting.js'
import { loadTemplate, newBoard, sync } from './helpers.js'

const SEEDED = ['pact-westfriesland-7.1', 'zuid-kennemerland-2021-2023', 'sociaal-domein-kop-nh'] as const

function seededBoard(id: string): Y.Doc {
  const doc = new Y.Doc()
  initBoard(doc, loadTemplate(id), { id: 'b', title: 'Werksessie', now: Date.UTC(2026, 11, 6) })
  return doc
}

/** Parses `svg` with a real XML parser; throws on any well-formedness error. Returns element names. */
function parseXml(svg: string): string[] {
  const parser = new SaxesParser({ xmlns: true })
  const names: string[] = []
  let error: Error | null = null
  parser.on('error', (e) => {
    error ??= e
  })
  parser.on('opentag', (tag) => names.push(tag.local))
  parser.write(svg).close()
  if (error) throw error
  return names
}

const frame = { title: 'Pact 7.1 — werksessie', subtitle: 'Matrix · 6 december 2026' }
const tableTexts = {
  number: 'Nr.',
  title: 'Actie',
  lane: 'Lijst',
  noTitle: '(zonder titel)',
  empty: 'Geen kaarten',
}
const chartTexts = {
  votes: (n: number) => (n === 1 ? '1 stem' : `${n} stemmen`),
  noTitle: '(zonder titel)',
  hidden: 'Nog verborgen',
  unvoted: (n: number) => `${n} acties zonder stemmen`,
}

describe('theme matrix', () => {
  it('[MX1] has a row per live card and a mark per template theme, filterable by lane', () => {
    const doc = seededBoard('pact-westfriesland-7.1')
    const cards = listCards(doc)
    const first = cards.find((card) => card.number === 1)
    deleteCard(doc, cards[1]?.id as string)
    const matrix = boardMatrix(doc)
    expect(matrix.fieldId).toBe('thema')
    expect(matrix.themes.map((t) => t.id)).toEqual([
      'wonen',
      'energie',
      'onderwijs',
      'vrije-tijd',
      'economie',
      'zorg',
    ])
    expect(matrix.rows).toHaveLength(19)
    const row = matrix.rows.find((r) => r.id === first?.id)
    // Card 1 of the Pact: onderwijs and economie.
    expect(row?.marks).toEqual([false, false, true, false, true, false])
    expect(row?.title).toBe('MKB-strategie opstellen')
    moveCard(doc, first?.id as string, 'shortlist')
    expect(boardMatrix(doc, { lane: 'shortlist' }).rows.map((r) => r.number)).toEqual([1])
  })

  it('[MX2] sorts by a theme (cards with it first), by title or lane; ties in card-number order', () => {
    const doc = seededBoard('pact-westfriesland-7.1')
    const byEnergy = boardMatrix(doc, { sort: { theme: 'energie' } }).rows
    const withEnergy = byEnergy.filter((r) => r.marks[1])
    expect(withEnergy.length).toBeGreaterThan(0)
    expect(byEnergy.slice(0, withEnergy.length)).toEqual(withEnergy)
    expect(withEnergy.map((r) => r.number)).toEqual(
      [...withEnergy.map((r) => r.number)].sort((a, b) => a - b),
    )
    const reversed = boardMatrix(doc, { sort: { theme: 'energie' }, descending: true }).rows
    expect(
      reversed
        .slice(-withEnergy.length)
        .map((r) => r.id)
        .sort(),
    ).toEqual(withEnergy.map((r) => r.id).sort())
    const titles = boardMatrix(doc, { sort: 'title' }).rows.map((r) => r.title)
    expect(titles).toEqual([...titles].sort((a, b) => a.localeCompare(b, 'nl', { sensitivity: 'base' })))
    const numbers = boardMatrix(doc, { sort: 'number', descending: true }).rows.map((r) => r.number)
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a))
    const template = templateOf(doc)
    const rows = boardMatrix(doc).rows
    moveCard(doc, rows[5]?.id as string, 'shortlist')
    const byLane = sortMatrixRows(template, boardMatrix(doc).rows, 'lane', true)
    expect(byLane[0]?.lane).toBe('shortlist')
  })

  it('[MX3] setTheme toggles a theme on a card; another replica sees it; concurrent toggles both stay', () => {
    const a = newBoard()
    const id = createCard(a, { fields: { actie: 'Zonnedaken', thema: ['wonen'] } })
    const b = new Y.Doc()
    sync(a, b)
    setTheme(a, id, 'energie', true)
    setTheme(b, id, 'wonen', false)
    setTheme(b, id, 'zorg', true)
    sync(a, b)
    for (const doc of [a, b]) expect(listCards(doc)[0]?.fields.thema).toEqual(['energie', 'zorg'])
    expect(boardMatrix(b).rows[0]?.marks).toEqual([false, true, false, false, false, true])
    setTheme(a, id, 'energie', false)
    expect(listCards(a)[0]?.fields.thema).toEqual(['zorg'])
  })

  it('[MX4] setTheme refuses an unknown theme, an unknown card, and a board without a theme field', () => {
    const doc = newBoard()
    const id = createCard(doc, { fields: { actie: 'x' } })
    expect(() => setTheme(doc, id, 'nope', true)).toThrow(/Unknown theme/)
    expect(() => setTheme(doc, 'missing', 'wonen', true)).toThrow()
    expect(listCards(doc)[0]?.fields.thema).toEqual([])
    const bare = new Y.Doc()
    const { cards: _c, ...blank } = loadTemplate('blank')
    initBoard(
      bare,
      {
        ...blank,
        themes: [{ id: 'a', label: 'A', color: '#000000' }],
        fields: [{ id: 'actie', kind: 'text', label: 'Actie' }],
      },
      { id: 'x', title: 'x' },
    )
    const other = createCard(bare, {})
    expect(() => setTheme(bare, other, 'a', true)).toThrow(/no theme field/)
  })

  it('[MX5] a single-choice theme field takes the theme, and is cleared only when it held it', () => {
    const doc = new Y.Doc()
    const { cards: _c, ...pact } = loadTemplate('pact-westfriesland-7.1')
    const fields = pact.fields.map((f) => (f.id === 'thema' ? { ...f, kind: 'choice' as const } : f))
    initBoard(doc, { ...pact, fields }, { id: 'x', title: 'x' })
    const id = createCard(doc, { fields: { actie: 'x' } })
    setTheme(doc, id, 'zorg', true)
    expect(boardMatrix(doc).rows[0]?.marks).toEqual([false, false, false, false, false, true])
    setTheme(doc, id, 'wonen', false)
    expect(listCards(doc)[0]?.fields.thema).toBe('zorg')
    setTheme(doc, id, 'zorg', false)
    expect(listCards(doc)[0]?.fields.thema).toBeNull()
  })
})

describe('planning', () => {
  it('[PL1] Pact 7.1: korte and lange termijn columns with the text of each cell', () => {
    const planning = boardPlanning(seededBoard('pact-westfriesland-7.1'))
    expect(planning.mode).toBe('periods')
    expect(planning.columns.map((c) => c.label)).toEqual([
      'Korte termijn (’20-’21)',
      'Lange termijn (’22-’24)',
    ])
    expect(planning.rows).toHaveLength(20)
    expect(planning.rows.find((r) => r.number === 1)?.cells).toEqual(['Aanvraag deel', 'Uitvoering'])
  })

  it('[PL2] Zuid-Kennemerland: a column per quarter', () => {
    const doc = seededBoard('zuid-kennemerland-2021-2023')
    const planning = boardPlanning(doc)
    expect(planning.columns.map((c) => c.label)).toEqual([
      '2021-Q3',
      '2021-Q4',
      '2022-Q1',
      '2022-Q2',
      '2022-Q3',
      '2022-Q4',
    ])
    const row2 = planning.rows.find((r) => r.number === 2)
    expect(row2?.cells).toEqual([
      '',
      '',
      '',
      'Bespreking in de radenbijeenkomst',
      'Bespreking in de radenbijeenkomst',
      '',
    ])
    setText(doc, row2?.id as string, 'planning', 'Start', { part: '2021-q3' })
    expect(boardPlanning(doc).rows.find((r) => r.number === 2)?.cells[0]).toBe('Start')
  })

  it('[PL3] Sociaal Domein: the tijdspad text as numbered steps, or as one column when not numbered', () => {
    const doc = seededBoard('sociaal-domein-kop-nh')
    const planning = boardPlanning(doc, { stepLabel: (n) => `Step ${n}` })
    expect(planning.mode).toBe('steps')
    expect(planning.fieldLabel).toBe('Tijdspad')
    expect(planning.columns).toHaveLength(7)
    expect(planning.columns[0]?.label).toBe('Step 1')
    const first = planning.rows.find((r) => r.number === 1)
    expect(first?.cells.slice(0, 4)).toEqual([
      'Opstellen van een leidraad: 3 maanden',
      'Lokale besluitvorming: 1 maand',
      'Informeren wijken/woonkernen: 1 maand',
      '',
    ])
    // One card's tijdspad in free text: every card shows its whole text in one column.
    setText(doc, first?.id as string, 'planning', 'Voorjaar 2026, daarna evaluatie')
    const free = boardPlanning(doc)
    expect(free.mode).toBe('text')
    expect(free.columns.map((c) => c.label)).toEqual(['Tijdspad'])
    expect(free.rows.find((r) => r.number === 1)?.cells).toEqual(['Voorjaar 2026, daarna evaluatie'])
    expect(planningSteps('1. a\n\n2) b\n2. c')).toEqual(
      new Map([
        [1, 'a'],
        [2, 'b\nc'],
      ]),
    )
    expect(planningSteps('geen stappen')).toBeNull()
  })

  it('[PL4] a template without a planning field gives no columns; lanes filter the rows', () => {
    const doc = seededBoard('pact-westfriesland-7.1')
    const template = templateOf(doc)
    const none = planningOf(
      { ...template, fields: template.fields.filter((f) => f.id !== 'planning') },
      listCards(doc),
    )
    expect(none).toMatchObject({ fieldId: null, columns: [], rows: [] })
    expect(boardPlanning(doc, { lane: 'shortlist' }).rows).toEqual([])
  })
})

describe('vote ranking', () => {
  it('[UC1] most votes first, ties in card-number order, tied cards share a place', () => {
    const totals = new Map([
      ['a', 3],
      ['b', 5],
      ['c', 3],
    ])
    const numbers = new Map([
      ['a', 4],
      ['b', 9],
      ['c', 2],
      ['d', 1],
    ])
    expect(rankOrder(['a', 'b', 'c', 'd'], totals, numbers)).toEqual([
      { id: 'b', votes: 5, place: 1 },
      { id: 'c', votes: 3, place: 2 },
      { id: 'a', votes: 3, place: 2 },
      { id: 'd', votes: 0, place: 4 },
    ])
  })

  it('[UC2] nothing but the voter count before the reveal; every live card after it', () => {
    const doc = seededBoard('pact-westfriesland-7.1')
    const cards = listCards(doc)
    writeVoterCount(doc, 7)
    writeVoteTotals(doc, new Map([[cards[3]?.id as string, 4]]))
    expect(boardRanking(doc)).toEqual({ revealed: false, voters: 7, cards: [] })
    setVoting(doc, { revealed: true })
    deleteCard(doc, cards[0]?.id as string)
    const ranking = boardRanking(doc)
    expect(ranking.voters).toBe(7)
    expect(ranking.cards).toHaveLength(19)
    expect(ranking.cards[0]).toMatchObject({ id: cards[3]?.id, votes: 4, place: 1, number: cards[3]?.number })
    expect(ranking.cards[1]).toMatchObject({ votes: 0, place: 2 })
  })
})

describe('SVG pictures', () => {
  it('[SV1] the chart, the matrix and the planning of every seeded template are well-formed SVG', () => {
    for (const id of SEEDED) {
      const doc = seededBoard(id)
      const template = templateOf(doc)
      const cards = listCards(doc)
      writeVoteTotals(doc, new Map(cards.map((card, i) => [card.id, (i * 7) % 5])))
      setVoting(doc, { revealed: true })
      const chart = rankingSvg(boardRanking(doc), template, frame, chartTexts)
      const names = parseXml(chart)
      expect(names[0]).toBe('svg')
      // A bar per card with votes (plus the background rect and the legend's swatches).
      const voted = cards.filter((_, i) => (i * 7) % 5 > 0)
      const used = new Set(voted.map((card) => (card.fields.thema as string[])[0]).filter(Boolean))
      expect(names.filter((n) => n === 'rect')).toHaveLength(1 + voted.length + used.size)
      expect(chart).toContain(`${cards.length - voted.length} acties zonder stemmen`)
      const matrix = matrixSvg(boardMatrix(doc), template, frame, tableTexts)
      expect(parseXml(matrix).filter((n) => n === 'circle')).toHaveLength(
        cards.reduce((n, card) => n + (card.fields.thema as string[]).length, 0),
      )
      const planning = planningSvg(boardPlanning(doc), template, frame, tableTexts)
      expect(parseXml(planning)[0]).toBe('svg')
      for (const svg of [chart, matrix, planning]) {
        expect(svg).toContain('Pact 7.1 — werksessie')
        expect(svg).toContain('6 december 2026')
      }
    }
  })

  it('[SV2] hostile card texts (markup, controls, lone surrogates) still give well-formed SVG', () => {
    const doc = newBoard()
    const evil = 'A <script>alert(1)</script> & "q" \u0001\u0008\u000b\uFFFE \uD800 x \uDC00 ]]> 😀'
    const id = createCard(doc, {
      fields: { actie: evil, thema: ['wonen'], planning: { kort: evil, lang: '' } },
    })
    writeVoteTotals(doc, new Map([[id, 2]]))
    setVoting(doc, { revealed: true })
    const template = templateOf(doc)
    const hostileFrame = { title: `<b>${evil}</b>`, subtitle: evil }
    for (const svg of [
      rankingSvg(boardRanking(doc), template, hostileFrame, chartTexts),
      matrixSvg(boardMatrix(doc), template, hostileFrame, tableTexts),
      planningSvg(boardPlanning(doc), template, hostileFrame, tableTexts),
    ]) {
      const names = parseXml(svg)
      expect(names).not.toContain('script')
      expect(names).not.toContain('b')
      expect(svg).toContain('😀')
    }
    expect(xmlText('a\u0000b<c>&\uD83D')).toBe('ab&lt;c&gt;&amp;')
    // A template colour that is not a plain hex colour never reaches an attribute.
    const bad = { ...template, themes: template.themes.map((t) => ({ ...t, color: '"/><script>' })) }
    expect(parseXml(matrixSvg(boardMatrix(doc), bad, frame, tableTexts))).not.toContain('script')
  })

  it('[SV3] before the reveal the chart says so and shows no bars; 300 cards give one row each', () => {
    const doc = newBoard()
    const template = templateOf(doc)
    const hidden = rankingSvg(boardRanking(doc), template, frame, chartTexts)
    expect(hidden).toContain('Nog verborgen')
    expect(parseXml(hidden).filter((n) => n === 'rect')).toHaveLength(1)
    for (let i = 0; i < 300; i++) createCard(doc, { fields: { actie: `Actie ${i}`, thema: ['zorg'] } })
    const matrix = matrixSvg(boardMatrix(doc), template, frame, tableTexts)
    expect(parseXml(matrix).filter((n) => n === 'circle')).toHaveLength(300)
    const planning = planningSvg(boardPlanning(doc), template, frame, tableTexts)
    expect(planning.match(/>#?\d+<\/text>/g)?.length).toBeGreaterThanOrEqual(300)
  })
})
