import type * as Y from 'yjs'
import { templateOf } from './layout.js'
import { listCards } from './read.js'
import type {
  BoardTemplate,
  Criterion,
  FieldDef,
  FieldValue,
  FieldValues,
  Option,
  StartingCard,
  Template,
  Theme,
} from './template.js'

export interface BoardAsTemplate {
  /** The starting cards: the board's cards (not deleted), with their lane, number and field values. */
  includeCards: boolean
}

/**
 * A board's structure as a template: its themes, fields, lanes and criteria (as the board holds them,
 * copied part by part so nothing else a client put in meta comes along), and optionally its cards as
 * starting cards. The caller gives it its own id and title and checks it like an uploaded template.
 */
export function boardAsTemplate(doc: Y.Doc, options: BoardAsTemplate): Template {
  const board = templateOf(doc)
  const template: Template = {
    id: board.id,
    title: board.title,
    description: typeof board.description === 'string' ? board.description : '',
    ...(typeof board.language === 'string' ? { language: board.language } : {}),
    themes: board.themes.map(theme),
    fields: board.fields.map(field),
    lanes: board.lanes.map(option),
    ...(Array.isArray(board.criteria)
      ? { criteria: board.criteria.map((c) => (c !== null && typeof c === 'object' ? criterion(c) : c)) }
      : {}),
  }
  if (options.includeCards) template.cards = startingCards(doc, board)
  return template
}

function startingCards(doc: Y.Doc, board: BoardTemplate): StartingCard[] {
  const known = new Set(board.fields.map((def) => def.id))
  const themes = new Set(board.themes.map((t) => t.id))
  const themeFields = new Set(board.fields.filter((def) => def.optionsFrom === 'themes').map((def) => def.id))
  return listCards(doc).map((card) => {
    const fields: FieldValues = {}
    for (const [id, value] of Object.entries(card.fields)) {
      if (!known.has(id) || isEmpty(value)) continue
      // A theme no longer on the board is dropped: a template's cards name only its own themes.
      fields[id] = themeFields.has(id) && Array.isArray(value) ? value.filter((t) => themes.has(t)) : value
    }
    return { number: card.number, lane: card.lane, fields }
  })
}

function isEmpty(value: FieldValue): boolean {
  if (value === null || value === '') return true
  if (Array.isArray(value)) return value.length === 0
  if (typeof value === 'object') return Object.values(value).every((part) => part === '')
  return false
}

const option = (o: Option): Option => ({ id: o.id, label: o.label })

/** Any client with the facilitator's link can write meta: what is not a list is kept as is, for the check to name. */
const options = (list: Option[]): Option[] =>
  Array.isArray(list) ? list.map((o) => (o !== null && typeof o === 'object' ? option(o) : o)) : list

const theme = (t: Theme): Theme => ({ id: t.id, label: t.label, color: t.color })

function criterion(c: Criterion): Criterion {
  return { id: c.id, label: c.label, ...(c.help !== undefined ? { help: c.help } : {}) }
}

function field(def: FieldDef): FieldDef {
  return {
    id: def.id,
    kind: def.kind,
    label: def.label,
    ...(def.help !== undefined ? { help: def.help } : {}),
    ...(def.options !== undefined ? { options: options(def.options) } : {}),
    ...(def.optionsFrom !== undefined ? { optionsFrom: def.optionsFrom } : {}),
    ...(def.periods !== undefined ? { periods: options(def.periods) } : {}),
  }
}
