import type * as Y from 'yjs'
import { readMeta } from './board.js'
import { listLinks } from './links.js'
import { listCards } from './read.js'
import { type FieldKind, type FieldValues, optionsOf, type Theme } from './template.js'
import { readVoting, voteTotals } from './voting.js'

/**
 * The export document (published as docs/export.schema.json). A pure function of the doc: the same
 * doc and `exportedAt` give the same document. Version 1; later versions only add.
 */
export const EXPORT_VERSION = 1

export type LaneSelection = 'shortlist' | 'longlist' | 'all'

export interface ExportOptions {
  lane: LaneSelection
  /** When the export was made; defaults to now. */
  exportedAt?: Date
  /** false: who moved a card (`selection.by`) is left out (null): an observer's export by default. */
  names?: boolean
}

export interface ExportedCard {
  id: string
  number: number
  lane: string
  /** 1-based position within its lane. */
  position: number
  fields: FieldValues
  createdAt: string | null
  updatedAt: string | null
  /** Dot votes on the card, once the facilitator revealed them (absent while hidden). */
  votes?: number
  /** For a card outside the first lane (shortlisted): who moved it there, and when. */
  selection?: { by: string | null; at: string }
  /** The template's selection criteria: met or not (present when the template has criteria). */
  criteria?: Record<string, boolean>
}

export interface ExportDocument {
  format: 'werkbord-export'
  version: number
  board: { id: string; title: string; createdAt: string | null; exportedAt: string }
  template: { id: string; title: string }
  lane: LaneSelection
  themes: Theme[]
  lanes: { id: string; label: string }[]
  criteria?: { id: string; label: string }[]
  fields: {
    id: string
    label: string
    kind: FieldKind
    options?: { id: string; label: string }[]
    periods?: { id: string; label: string }[]
  }[]
  cards: ExportedCard[]
  /** Links between exported cards: koppelkansen (reinforce) and dilemma's (clash). */
  links: { from: number; to: number; kind: 'koppelkans' | 'dilemma'; note: string }[]
}

export function exportBoard(doc: Y.Doc, options: ExportOptions): ExportDocument {
  const meta = readMeta(doc)
  const { template } = meta
  const positions = new Map<string, number>()
  const voting = readVoting(doc)
  const totals = voteTotals(doc)
  const firstLane = template.lanes[0]?.id
  const criteria = template.criteria ?? []
  const cards = listCards(doc, options.lane === 'all' ? {} : { lane: options.lane }).map((card) => {
    const position = (positions.get(card.lane) ?? 0) + 1
    positions.set(card.lane, position)
    const exported: ExportedCard = {
      id: card.id,
      number: card.number,
      lane: card.lane,
      position,
      fields: card.fields,
      createdAt: iso(card.createdAt),
      updatedAt: iso(card.updatedAt),
    }
    if (voting.revealed) exported.votes = totals.get(card.id) ?? 0
    if (criteria.length > 0)
      exported.criteria = Object.fromEntries(criteria.map((c) => [c.id, card.criteria.includes(c.id)]))
    if (card.lane !== firstLane && card.moved)
      exported.selection = {
        by: options.names === false ? null : card.moved.by,
        at: iso(card.moved.at) as string,
      }
    return exported
  })
  const numberOf = new Map(cards.map((card) => [card.id, card.number]))
  const links = listLinks(doc, new Set(numberOf.keys())).map((link) => ({
    from: numberOf.get(link.from) as number,
    to: numberOf.get(link.to) as number,
    kind: link.kind,
    note: link.note,
  }))
  return {
    format: 'werkbord-export',
    version: EXPORT_VERSION,
    board: {
      id: meta.id,
      title: meta.title,
      createdAt: iso(meta.createdAt),
      exportedAt: (options.exportedAt ?? new Date()).toISOString(),
    },
    template: { id: meta.templateId, title: template.title },
    lane: options.lane,
    themes: template.themes.map(({ id, label, color }) => ({ id, label, color })),
    lanes: template.lanes.map(({ id, label }) => ({ id, label })),
    ...(criteria.length > 0 ? { criteria: criteria.map(({ id, label }) => ({ id, label })) } : {}),
    fields: template.fields.map((field) => {
      const { id, label, kind } = field
      const options = kind === 'choice' || kind === 'multi-choice' ? optionsOf(template, field) : undefined
      return {
        id,
        label,
        kind,
        ...(options ? { options: options.map((o) => ({ id: o.id, label: o.label })) } : {}),
        ...(field.periods ? { periods: field.periods.map((p) => ({ id: p.id, label: p.label })) } : {}),
      }
    }),
    cards,
    links,
  }
}

function iso(time: number | null): string | null {
  return time === null ? null : new Date(time).toISOString()
}
