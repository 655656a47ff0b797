import { dutchDate } from '../export/cells.js'
import type { ReportData } from './gather.js'

/** A plain table of the report: headers with a relative width, and rows of text cells. */
export interface SimpleTable {
  columns: { header: string; weight: number; center?: boolean }[]
  rows: string[][]
}

export interface ReportSection {
  id: 'phases' | 'criteria' | 'shortlist' | 'matrix' | 'planning' | 'ranking' | 'links'
  heading: string
  lines?: string[]
  table?: SimpleTable
  /** Starts on a new page (long tables). */
  newPage?: boolean
}

/** The mark in the theme matrix, as the Pact's overview table has it. */
export const THEME_MARK = 'x'

const time = new Intl.DateTimeFormat('nl-NL', {
  timeZone: 'Europe/Amsterdam',
  hour: '2-digit',
  minute: '2-digit',
})

/** "09:00", or "26 september 2019 09:00" when not on `day`. */
function clock(at: number, day: number | null): string {
  const sameDay =
    day !== null && dutchDate(new Date(at).toISOString()) === dutchDate(new Date(day).toISOString())
  return sameDay ? time.format(at) : `${dutchDate(new Date(at).toISOString())} ${time.format(at)}`
}

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000)
  if (minutes < 60) return `${minutes} min`
  return `${Math.floor(minutes / 60)} u ${String(minutes % 60).padStart(2, '0')} min`
}

/**
 * What the session report says, in Dutch and in order, as text and tables: the one outline both the
 * Word and the HTML report lay out, so they cannot drift apart. The shortlist's annex table and the
 * vote chart are added by each renderer in its own way (annex.ts, chart.ts).
 */
export function reportSections(data: ReportData): { intro: string[]; parts: ReportSection[] } {
  const laneLabel = new Map(data.template.lanes.map((lane) => [lane.id, lane.label]))
  const day = data.sessionDay
  const intro = [
    `${data.template.title}${day !== null ? ` · werksessie van ${dutchDate(new Date(day).toISOString())}` : ''}`,
    `Deelnemers die stemden: ${data.voters} · acties op het bord: ${data.cardCount} · op de shortlist: ${data.shortlist.cards.length}`,
    `Rapport gemaakt op ${dutchDate(new Date(data.madeAt).toISOString())} om ${time.format(data.madeAt)}`,
  ]
  const parts: ReportSection[] = []
  parts.push({
    id: 'phases',
    heading: 'Verloop van de werksessie',
    table: {
      columns: [
        { header: 'Fase', weight: 3 },
        { header: 'Begin', weight: 3 },
        { header: 'Einde', weight: 3 },
        { header: 'Duur', weight: 2 },
      ],
      rows: data.phases.map((span) => [
        span.label,
        clock(span.start, day),
        span.end === null ? '' : clock(span.end, day),
        span.end === null ? '' : duration(span.end - span.start),
      ]),
    },
    ...(data.phases.length === 0 ? { lines: ['Geen fasen vastgelegd.'] } : {}),
  })
  if (data.criteria.length > 0) {
    const of = data.shortlist.cards.length
    parts.push({
      id: 'criteria',
      heading: 'Selectiecriteria',
      table: {
        columns: [
          { header: 'Criterium', weight: 5 },
          { header: 'Voldaan door', weight: 2 },
        ],
        rows: data.criteria.map((criterion) => [
          criterion.label,
          `${criterion.met} van ${of} shortlist-acties`,
        ]),
      },
    })
  }
  parts.push({
    id: 'shortlist',
    heading: 'Shortlist',
    newPage: true,
    ...(data.shortlist.cards.length === 0 ? { lines: ['Er staan geen acties op de shortlist.'] } : {}),
  })
  parts.push({
    id: 'matrix',
    heading: 'Themamatrix',
    newPage: true,
    lines: [`Aan welke thema’s de acties bijdragen (${THEME_MARK}: draagt bij).`],
    table: {
      columns: [
        { header: 'Nr', weight: 2 },
        { header: 'Actie', weight: 12 },
        { header: 'Lijst', weight: 4 },
        ...data.matrix.themes.map((theme) => ({ header: theme.label, weight: 6, center: true })),
      ],
      rows: data.matrix.rows.map((row) => [
        String(row.number),
        row.title,
        laneLabel.get(row.lane) ?? row.lane,
        ...row.marks.map((mark) => (mark ? THEME_MARK : '')),
      ]),
    },
  })
  if (data.planning.fieldId !== null) {
    parts.push({
      id: 'planning',
      heading: 'Planning',
      newPage: true,
      lines: [`${data.planning.fieldLabel} van de acties op de shortlist.`],
      table: {
        columns: [
          { header: 'Nr', weight: 2 },
          { header: 'Actie', weight: 10 },
          ...data.planning.columns.map((column) => ({ header: column.label, weight: 10 })),
        ],
        rows: data.planning.rows.map((row) => [String(row.number), row.title, ...row.cells]),
      },
    })
  }
  const ranking = data.ranking
  parts.push({
    id: 'ranking',
    heading: 'Uitslag van de stemming',
    newPage: true,
    lines: ranking.revealed
      ? [`${ranking.voters} deelnemers brachten hun stemmen uit.`]
      : ['De stemmen zijn nog niet bekendgemaakt.'],
    ...(ranking.revealed
      ? {
          table: {
            columns: [
              { header: 'Plaats', weight: 3 },
              { header: 'Nr', weight: 2 },
              { header: 'Actie', weight: 16 },
              { header: 'Stemmen', weight: 3 },
              { header: 'Lijst', weight: 4 },
            ],
            rows: ranking.cards.map((card) => [
              ranking.cards.filter((other) => other.place === card.place).length > 1
                ? `${card.place} (gedeeld)`
                : String(card.place),
              String(card.number),
              card.title,
              String(card.votes),
              laneLabel.get(card.lane) ?? card.lane,
            ]),
          },
        }
      : {}),
  })
  parts.push({
    id: 'links',
    heading: 'Koppelkansen en dilemma’s',
    ...(data.links.length === 0
      ? { lines: ['Er zijn geen koppelkansen of dilemma’s tussen acties vastgelegd.'] }
      : {
          lines: ['Koppelkans: acties die elkaar versterken. Dilemma: acties die met elkaar botsen.'],
          table: {
            columns: [
              { header: 'Soort', weight: 3 },
              { header: 'Actie', weight: 9 },
              { header: 'Met actie', weight: 9 },
              { header: 'Toelichting', weight: 10 },
            ],
            rows: data.links.map((link) => [
              link.kind === 'koppelkans' ? 'Koppelkans' : 'Dilemma',
              `${link.from.number}. ${link.from.title}`,
              `${link.to.number}. ${link.to.title}`,
              link.note,
            ]),
          },
        }),
  })
  return { intro, parts }
}
