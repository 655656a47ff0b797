import * as Y from 'yjs'
import type { BoardTemplate } from './template.js'

/**
 * The Y.Doc layout of a board. Documented for integrators in docs/board-schema.md.
 *
 *   doc.getMap('meta')   board id, title, template (JSON), created time, schema version
 *   doc.getMap('cards')  card id → Y.Map of one card: template fields plus the keys below
 *   doc.getMap('canvas') tldraw record id → record (JSON): drawings, notes, arrows beside the cards
 */
export const SCHEMA_VERSION = 1

export const CARDS = 'cards'
export const META = 'meta'
export const CANVAS = 'canvas'

/** Keys of a card map that are not template fields. */
export const CardKey = {
  lane: 'lane',
  order: 'order',
  pos: 'pos',
  number: 'number',
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
  deletedAt: 'deletedAt',
  movedAt: 'movedAt',
  movedBy: 'movedBy',
  criteria: 'criteria',
  mergedInto: 'mergedInto',
} as const

const reservedKeys: ReadonlySet<string> = new Set(Object.values(CardKey))

export function isReservedKey(key: string): boolean {
  return reservedKeys.has(key)
}

export const MetaKey = {
  id: 'id',
  title: 'title',
  templateId: 'templateId',
  template: 'template',
  createdAt: 'createdAt',
  schemaVersion: 'schemaVersion',
  /** true: observers' exports name who moved a card too (the facilitator allows it); else left out. */
  observerExportNames: 'observerExportNames',
} as const

export type CardMap = Y.Map<unknown>

export function cardsOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(CARDS)
}

export function metaOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(META)
}

export function isCardMap(value: unknown): value is CardMap {
  return value instanceof Y.Map
}

/** The card map for an id, or undefined when there is none (or another client stored something else). */
export function cardMap(doc: Y.Doc, id: string): CardMap | undefined {
  const value = cardsOf(doc).get(id)
  return isCardMap(value) ? value : undefined
}

export function requireCard(doc: Y.Doc, id: string): CardMap {
  const card = cardMap(doc, id)
  if (!card) throw new Error(`Unknown card: ${id}`)
  return card
}

/** Fallbacks for documents written by clients that did not store a template. */
export const DEFAULT_TEMPLATE: BoardTemplate = {
  id: 'blank',
  title: 'Leeg bord',
  description: '',
  themes: [],
  lanes: [
    { id: 'longlist', label: 'Longlist' },
    { id: 'shortlist', label: 'Shortlist' },
  ],
  fields: [
    { id: 'thema', kind: 'multi-choice', label: 'Thema', optionsFrom: 'themes' },
    { id: 'actie', kind: 'text', label: 'Actie' },
    { id: 'doel', kind: 'text', label: 'Doel' },
    {
      id: 'schaalniveau',
      kind: 'choice',
      label: 'Schaalniveau',
      options: ['lokaal', 'subregionaal', 'regionaal', 'bovenregionaal', 'provinciaal', 'landelijk'].map(
        (id) => ({
          id,
          label: id.charAt(0).toUpperCase() + id.slice(1),
        }),
      ),
    },
    {
      id: 'planning',
      kind: 'periods',
      label: 'Planning',
      periods: [
        { id: 'kort', label: 'Korte termijn' },
        { id: 'lang', label: 'Lange termijn' },
      ],
    },
    { id: 'partijen', kind: 'list', label: 'Betrokken partijen' },
  ],
}

/**
 * The board's template, from meta. Any Yjs client can write meta, so what is read is checked part by
 * part: a missing or malformed part (fields, lanes, themes) falls back to the default's.
 */
export function templateOf(doc: Y.Doc): BoardTemplate {
  const stored = metaOf(doc).get(MetaKey.template)
  if (!stored || typeof stored !== 'object') return DEFAULT_TEMPLATE
  const t = stored as Partial<BoardTemplate>
  const fields = listOfIds(t.fields)?.filter((field) => typeof field.kind === 'string') ?? []
  const lanes = listOfIds(t.lanes) ?? []
  return {
    ...DEFAULT_TEMPLATE,
    ...t,
    title: typeof t.title === 'string' ? t.title : DEFAULT_TEMPLATE.title,
    fields: fields.length > 0 ? fields : DEFAULT_TEMPLATE.fields,
    lanes: lanes.length > 0 ? lanes : DEFAULT_TEMPLATE.lanes,
    themes: listOfIds(t.themes) ?? [],
  }
}

function listOfIds<T extends { id: string }>(value: T[] | undefined): T[] | undefined {
  if (!Array.isArray(value)) return undefined
  return value.filter(
    (item): item is T =>
      item !== null && typeof item === 'object' && typeof item.id === 'string' && item.id !== '',
  )
}
