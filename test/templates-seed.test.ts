import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { StartingCard, Template } from '../model/template.js'
import { projectRoot } from '../server/paths.js'
import { loadTemplates } from '../server/templates/templates.js'

/**
 * The templates with starting cards, checked against the seed documents they were transcribed from
 * (text extracted from PDFs, see /work/shared/seeds/README.md). Expectations are read from the seeds at
 * test time, not copied from the templates, so a changed card text makes these tests fail.
 */

const seedsDir = path.join(projectRoot, '..', 'shared', 'seeds')
const readSeed = (name: string) => fs.readFileSync(path.join(seedsDir, name), 'utf8')
const templates = loadTemplates(path.join(projectRoot, 'templates'))

function template(id: string): Template {
  const found = templates.get(id)
  if (!found) throw new Error(`template ${id} is missing`)
  return found
}

/**
 * The extraction's text made comparable: a word broken at a line end (hyphen between two lower-case
 * letters, "uitvoerings-\nprogramma") is joined, a hyphen at a line end before a capital or a digit is
 * kept ("Noord-\nHolland" → "Noord-Holland"), bullets are dropped and whitespace is collapsed.
 */
function normalise(text: string): string {
  return text
    .replaceAll('\uf0b7', ' ')
    .replace(/(\p{Ll})-\n(?=\p{Ll})/gu, '$1')
    .replace(/(\S)-\n(?=\S)/gu, '$1-')
    .replace(/\s+/gu, ' ')
    .trim()
}

/** Punctuation at the end of a word dropped: a party from "Provincie, Rijk, LTO, e.a." is "Provincie". */
const withoutTrailingPunctuation = (text: string) => normalise(text).replace(/[,;:.]+(?= |$)/gu, '')

/** Where `part` occurs in `text` as a whole sequence of words, searching from `from`; -1 if not. */
function findWords(text: string, part: string, from = 0): number {
  return ` ${text} `.indexOf(` ${normalise(part)} `, from)
}

/** Each part occurs in `text` after `start` and after the previous part (punctuation at word ends ignored). */
function expectWordsInOrder(text: string, parts: string[], what: string, start = 0): void {
  const haystack = withoutTrailingPunctuation(text)
  let from = withoutTrailingPunctuation(text.slice(0, start)).length
  for (const part of parts) {
    const words = withoutTrailingPunctuation(part)
    const at = findWords(haystack, words, from)
    expect(at, `${what}: "${part}" not found (in order) in the seed text`).toBeGreaterThanOrEqual(0)
    from = at + words.length
  }
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')

const words = (text: string) => new Set(normalise(text).match(/[\p{L}\p{N}]+/gu) ?? [])

function text(card: StartingCard, field: string): string {
  const value = card.fields[field]
  if (typeof value !== 'string') throw new Error(`card ${card.number}: ${field} is not text`)
  return value
}

function list(card: StartingCard, field: string): string[] {
  const value = card.fields[field]
  if (!Array.isArray(value)) throw new Error(`card ${card.number}: ${field} is not a list`)
  return value
}

function periods(card: StartingCard, field: string): Record<string, string> {
  const value = card.fields[field]
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`card ${card.number}: ${field} is not a periods value`)
  }
  return value
}

/** The part of `text` from the first occurrence of `start` up to `end` (or the end of the text). */
function between(text: string, start: string, end?: string): string {
  const from = text.indexOf(start)
  if (from < 0) throw new Error(`"${start}" not in the seed`)
  const to = end === undefined ? text.length : text.indexOf(end, from + start.length)
  if (to < 0) throw new Error(`"${end}" not in the seed`)
  return text.slice(from, to)
}

/**
 * Splits `block` at lines that start with the next expected number (1, 2, …) and `after` (a space
 * in the Pact's tables, ". " in the werkplan's list), followed by a letter.
 */
function numberedRows(block: string, after = ' '): string[][] {
  const rows: string[][] = []
  for (const line of block.split('\n')) {
    const start = new RegExp(`^\\s*${rows.length + 1}${after}(?=\\p{L})`, 'u').exec(line)
    if (start) rows.push([line.slice(start[0].length)])
    else rows.at(-1)?.push(line)
  }
  return rows
}

describe('Pact van Westfriesland 7.1 (seed 000)', () => {
  const seed = readSeed('000_41ffb41e4224aad5.txt')
  const pact = template('pact-westfriesland-7.1')
  const cards = pact.cards ?? []

  /**
   * The overview table of section 4: per action its name and six cells, one per theme, each "x" or
   * empty, joined by single spaces and followed by one space ("MKB-strategie opstellen   x x   ").
   */
  const overview = numberedRows(between(seed, 'In de bijlage vindt u', '5 Vervolg')).map((row, i) => {
    const filled = row.filter((line) => line.trim() !== '')
    const last = (filled.at(-1) ?? '').replace(/ $/, '')
    const inline = /^(.*?[^x ]) ([x ]*)$/.exec(last)
    const cellsOnOwnLine = /^[x ]*$/.test(last)
    const cells = (cellsOnOwnLine ? last : (inline?.[2] ?? '')).split(' ')
    const nameLines = cellsOnOwnLine ? filled.slice(0, -1) : [...filled.slice(0, -1), inline?.[1] ?? '']
    return { number: i + 1, name: normalise(nameLines.join('\n')), cells }
  })

  /**
   * The column order of the x-marks. The headers are missing from the extraction; the order is inferred
   * in the template's notes (action 10 "Passende woningen met passende zorg" is columns 1 and 6,
   * action 9 matches its annex text "Sociaal domein, Ondernemen en Economie, Onderwijs en Arbeidsmarkt,
   * wonen en leefbaarheid" with columns 1, 3, 4 and 6).
   */
  const columns = ['wonen', 'energie', 'economie', 'onderwijs', 'vrije-tijd', 'zorg']

  /**
   * The annex table per action, from after its number to the next action (the repeated table header
   * removed), whitespace and hyphens normalised.
   */
  const annex = numberedRows(
    between(seed, 'Bijlage').replace(/Nr\s+Omschrijving actie[\s\S]*?\(’22-’24\)/g, ' '),
  ).map((row) => normalise(row.join('\n')))

  it('[S1] reads 20 actions with six theme cells each from the overview, and 20 rows from the annex', () => {
    expect(overview.map((row) => row.number)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    for (const row of overview) expect(row.cells, `overview row ${row.number}`).toHaveLength(6)
    expect(overview[0]?.name).toBe('MKB-strategie opstellen')
    expect(overview[4]?.name).toBe('Opgaven klimaatadaptatie onderzoeken en strategie opstellen')
    expect(annex).toHaveLength(20)
  })

  it('[S2] has exactly 20 starting cards, numbered 1–20 in the longlist, named as in the overview', () => {
    expect(cards.map((card) => card.number)).toEqual(overview.map((row) => row.number))
    for (const card of cards) expect(card.lane).toBe('longlist')
    expect(cards.map((card) => normalise(text(card, 'actie')))).toEqual(overview.map((row) => row.name))
  })

  it('[S3] gives each card the themes marked with an x in its overview row', () => {
    for (const [i, card] of cards.entries()) {
      const marked = (overview[i]?.cells ?? []).flatMap((cell, column) =>
        cell === 'x' ? [columns[column]] : [],
      )
      expect([...list(card, 'thema')].sort(), `card ${card.number}`).toEqual(marked.sort())
    }
  })

  it('[S4] takes omschrijving, doel and partijen from the annex row of the same action, in order', () => {
    for (const [i, card] of cards.entries()) {
      const row = annex[i] ?? ''
      const omschrijving = normalise(text(card, 'omschrijving'))
      expect(omschrijving, `card ${card.number}`).not.toBe('')
      expect(`${row} `.startsWith(`${omschrijving} `), `card ${card.number}: omschrijving`).toBe(true)
      // The columns follow each other: omschrijving, doel, (ambities, planning), partijen.
      expectWordsInOrder(row, lines(text(card, 'doel')), `card ${card.number} doel`, omschrijving.length)
      expectWordsInOrder(row, list(card, 'partijen'), `card ${card.number} partijen`, omschrijving.length)
      expect(card.fields.schaalniveau).toBeNull()
    }
  })

  it('[S5] leaves no word of an annex row out of its card, and adds none', () => {
    for (const [i, card] of cards.entries()) {
      const planning = Object.values(periods(card, 'planning'))
      const fields = [
        text(card, 'omschrijving'),
        text(card, 'doel'),
        text(card, 'ambities'),
        ...planning,
        ...list(card, 'partijen'),
      ]
      const inCard = words(fields.join('\n'))
      const inSeed = words(annex[i] ?? '')
      // "en" may disappear where stakeholders were split ("inwoners en ondernemers").
      const missing = [...inSeed].filter((word) => !inCard.has(word) && word !== 'en')
      const added = [...inCard].filter((word) => !inSeed.has(word))
      expect({ card: card.number, missing, added }).toEqual({ card: card.number, missing: [], added: [] })
    }
    expect(Object.keys(periods(cards[0] as StartingCard, 'planning'))).toEqual(['kort', 'lang'])
  })
})

describe('Zuid-Kennemerland 2021-2023 (seed 004)', () => {
  const seed = readSeed('004_b933a4c1433b56ec.txt')
  const zk = template('zuid-kennemerland-2021-2023')
  const cards = zk.cards ?? []
  /**
   * Prose compared loosely: hyphens inside words are ignored, as the extraction cannot tell "doe-agenda"
   * (kept) from a word broken at a line end, and has "Zuid- \nKennemerland" once.
   */
  const loose = (value: string) => normalise(value).replace(/(\p{L})- ?(?=\p{L})/gu, '$1')
  const seedText = loose(seed)
  const seedWords = words(seed.toLowerCase())
  const seedParties = withoutTrailingPunctuation(seedText)

  /** The nine actions as listed in chapter 2, without the main task in brackets at the end. */
  const actions = numberedRows(
    between(seed, 'In die hoofdstukken komen de volgende acties', ' 3. Versterken'),
    '\\. ',
  ).map((row) => normalise(row.join('\n')).replace(/ \([^()]*\)$/, ''))

  it('[S6] has the nine actions of the werkplan, each with a trekker, a theme and a planning per quarter', () => {
    expect(actions).toHaveLength(9)
    expect(cards.map((card) => card.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(cards.map((card) => text(card, 'actie'))).toEqual(actions)
    expect(zk.themes).toHaveLength(5)
    expect(new Set(zk.themes.map((theme) => theme.color)).size).toBe(5)
    for (const card of cards) {
      expect(text(card, 'trekker').trim(), `card ${card.number}`).not.toBe('')
      expect(list(card, 'thema'), `card ${card.number}`).toHaveLength(1)
      expect(Object.keys(periods(card, 'planning'))).toEqual([
        '2021-q3',
        '2021-q4',
        '2022-q1',
        '2022-q2',
        '2022-q3',
        '2022-q4',
      ])
    }
  })

  it('[S7] takes the texts of each card from the seed', () => {
    for (const card of cards) {
      for (const field of ['aanleiding', 'plan', 'doel', 'afstemming']) {
        const value = text(card, field).replace(/¹/g, '1').replace(/²/g, '2')
        expect(value, `card ${card.number} ${field}`).not.toBe('')
        for (const line of lines(value)) {
          expect(
            findWords(seedText, loose(line)),
            `card ${card.number} ${field}: "${line}"`,
          ).toBeGreaterThanOrEqual(0)
        }
      }
      for (const word of words(text(card, 'trekker').toLowerCase())) {
        expect(seedWords.has(word), `card ${card.number} trekker: "${word}"`).toBe(true)
      }
      for (const party of list(card, 'partijen')) {
        const name = loose(party).replace(/ \(.*$/, '')
        expect(
          findWords(seedParties, withoutTrailingPunctuation(name)),
          `card ${card.number} partijen: "${party}"`,
        ).toBeGreaterThanOrEqual(0)
      }
    }
  })
})

describe('Sociaal Domein Kop van Noord-Holland, ambitie 2 (seed 003)', () => {
  const seed = readSeed('003_6be7f1f6ad1c707e.txt')
  const sd = template('sociaal-domein-kop-nh')
  const cards = sd.cards ?? []
  const projects = [...seed.matchAll(/Project (2[a-e]): (.+?)\s*\n/g)].map(([, code, title]) => ({
    code,
    title: title?.trim(),
    section: normalise(between(seed, `Project ${code}:`, 'Tijdspad')),
  }))

  it('[S8] has the five projects 2a–2e, with their code and title', () => {
    expect(projects.map((project) => project.code)).toEqual(['2a', '2b', '2c', '2d', '2e'])
    expect(cards).toHaveLength(5)
    expect(cards.map((card) => text(card, 'project'))).toEqual(projects.map((project) => project.code))
    expect(cards.map((card) => text(card, 'actie'))).toEqual(projects.map((project) => project.title))
    expect(sd.themes.map((theme) => theme.label)).toEqual([
      'Inclusieve samenleving',
      'Voorkomen en terugdringen afstand tot de arbeidsmarkt',
      'Nieuwkomers',
      'Verzilvering',
    ])
  })

  it('[S9] takes doel, aanleiding, stappenplan and partijen from the project’s own section', () => {
    for (const [i, card] of cards.entries()) {
      const section = projects[i]?.section ?? ''
      const doel = between(section, 'Doel ', ' Stappenplan').slice('Doel '.length)
      expect(normalise(text(card, 'doel')), `project ${projects[i]?.code}`).toBe(doel)
      expect(findWords(section, text(card, 'aanleiding')), `project ${projects[i]?.code}`).toBeGreaterThan(0)
      const steps = lines(text(card, 'stappenplan'))
      expect(steps.map((step) => step.replace(/\..*/, ''))).toEqual(steps.map((_, n) => String(n + 1)))
      expectWordsInOrder(section, steps, `project ${projects[i]?.code} stappenplan`)
      expectWordsInOrder(
        between(section, 'Benodigde kennis en kunde'),
        list(card, 'partijen').map((party) => party.replace(/ \(IVC\)$/, '')),
        `project ${projects[i]?.code} partijen`,
      )
    }
  })
})

describe('all templates', () => {
  it('[S10] load with loadTemplates, including the three with starting cards', () => {
    const loaded = loadTemplates(path.join(projectRoot, 'templates'))
    expect([...loaded.keys()]).toEqual(
      expect.arrayContaining([
        'pact-westfriesland-7.1',
        'zuid-kennemerland-2021-2023',
        'sociaal-domein-kop-nh',
      ]),
    )
    for (const id of ['pact-westfriesland-7.1', 'zuid-kennemerland-2021-2023', 'sociaal-domein-kop-nh']) {
      const loadedTemplate = loaded.get(id)
      expect(loadedTemplate?.notes?.length, id).toBeGreaterThan(0)
      for (const card of loadedTemplate?.cards ?? []) {
        for (const key of Object.keys(card.fields)) {
          expect(
            loadedTemplate?.fields.some((field) => field.id === key),
            `${id} card ${card.number}: ${key}`,
          ).toBe(true)
        }
      }
    }
  })
})
