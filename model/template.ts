/**
 * The shape of a board template (see templates/template.schema.json and docs/board-schema.md).
 * A template is copied into the board's meta when the board is created, so a board is self-describing.
 */

/** How a field is stored in the Y.Doc and exported. */
export type FieldKind = 'text' | 'choice' | 'multi-choice' | 'list' | 'periods'

export interface Option {
  id: string
  label: string
}

export interface Theme extends Option {
  color: string
}

export interface FieldDef {
  id: string
  kind: FieldKind
  label: string
  help?: string
  /** Options of a `choice` or `multi-choice` field. */
  options?: Option[]
  /** A `choice`/`multi-choice` field whose options are the template's themes. */
  optionsFrom?: 'themes'
  /** The parts of a `periods` field, e.g. short and long term. */
  periods?: Option[]
}

export interface LaneDef {
  id: string
  label: string
}

export interface Criterion {
  id: string
  label: string
  help?: string
}

/** A field value as plain JSON: the shape used by exports, imports and starting cards. */
export type FieldValue = string | string[] | { [part: string]: string } | null

export type FieldValues = Record<string, FieldValue>

export interface StartingCard {
  number?: number
  lane?: string
  fields: FieldValues
}

export interface Template {
  id: string
  title: string
  description: string
  language?: string
  source?: string
  notes?: string[]
  themes: Theme[]
  fields: FieldDef[]
  lanes: LaneDef[]
  criteria?: Criterion[]
  cards?: StartingCard[]
}

/** The template as stored in a board: everything but its starting cards. */
export type BoardTemplate = Omit<Template, 'cards'>

/** The options a choice field offers, resolving `optionsFrom: 'themes'`. */
export function optionsOf(template: BoardTemplate, field: FieldDef): Option[] {
  if (field.optionsFrom === 'themes') return template.themes
  return field.options ?? []
}
