import type * as Y from 'yjs'
import { templateOf } from '../layout.js'
import { type CardView, listCards } from '../read.js'
import type { BoardTemplate, FieldDef } from '../template.js'
import { cardThemeIds, cardTitle } from './title.js'

/**
 * The planning roadmap: cards × the template's planning periods, with the text of each cell.
 *
 *   a `periods` field (Pact 7.1: korte / lange termijn; Zuid-Kennemerland: quarters)
 *       one column per period, the period's text in each cell;
 *   a text field (Sociaal Domein: its tijdspad, numbered steps "1. Inventarisatie: 3 maanden")
 *       one column per step ("Stap 1", "Stap 2" …) when every card's text is a numbered list,
 *       otherwise one column with the whole text.
 */
export interface PlanningColumn {
  id: string
  label: string
}

export interface PlanningRow {
  id: string
  number: number
  title: string
  lane: string
  /** The card's theme ids, in template order (for colouring). */
  themes: string[]
  /** `cells[i]` is the text under `columns[i]` ('' when empty). */
  cells: string[]
}

export interface Planning {
  /** The field the planning comes from (null when the template has no planning). */
  fieldId: string | null
  fieldLabel: string
  /** 'periods': the template's periods; 'steps': numbered steps of a text; 'text': one text column. */
  mode: 'periods' | 'steps' | 'text'
  columns: PlanningColumn[]
  rows: PlanningRow[]
}

export interface PlanningOptions {
  /** Only cards of this lane. */
  lane?: string
  /** The label of a step column, e.g. `n => 'Stap ' + n` (default Dutch). */
  stepLabel?: (n: number) => string
}

/**
 * The template's planning field: the first `periods` field; else a text field with id `planning`, or
 * one labelled planning/tijdspad.
 */
export function planningField(template: BoardTemplate): FieldDef | undefined {
  return (
    template.fields.find((def) => def.kind === 'periods') ??
    template.fields.find((def) => def.id === 'planning' && def.kind === 'text') ??
    template.fields.find((def) => def.kind === 'text' && /planning|tijdspad/i.test(def.label))
  )
}

const STEP = /^\s*(\d{1,3})\s*[.)]\s*(.*)$/

/**
 * The numbered steps of a tijdspad text ("1. Inventarisatie: 3 maanden" per line), by step number;
 * null when some non-empty line is not a numbered step (then the text is shown as it is).
 */
export function planningSteps(text: string): Map<number, string> | null {
  const steps = new Map<number, string>()
  let any = false
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    const match = STEP.exec(line)
    if (!match) return null
    any = true
    const n = Number(match[1])
    const step = (match[2] ?? '').trim()
    steps.set(n, steps.has(n) ? `${steps.get(n)}\n${step}` : step)
  }
  return any ? steps : null
}

export function planningOf(
  template: BoardTemplate,
  cards: readonly CardView[],
  options: PlanningOptions = {},
): Planning {
  const field = planningField(template)
  const live = cards.filter(
    (card) => card.deletedAt === null && (options.lane === undefined || card.lane === options.lane),
  )
  const base = (card: CardView) => ({
    id: card.id,
    number: card.number,
    title: cardTitle(card),
    lane: card.lane,
    themes: cardThemeIds(card, template),
  })
  if (!field) return { fieldId: null, fieldLabel: '', mode: 'text', columns: [], rows: [] }
  if (field.kind === 'periods') {
    const columns = (field.periods ?? []).map(({ id, label }) => ({ id, label }))
    const rows = live.map((card) => {
      const value = card.fields[field.id]
      const parts = value && typeof value === 'object' && !Array.isArray(value) ? value : {}
      return { ...base(card), cells: columns.map((column) => (parts[column.id] ?? '').trim()) }
    })
    return { fieldId: field.id, fieldLabel: field.label, mode: 'periods', columns, rows }
  }
  const texts = live.map((card) => textOf(card.fields[field.id]))
  const steps = texts.map(planningSteps)
  const stepped = texts.some((text) => text.trim() !== '') && steps.every((s, i) => s || texts[i] === '')
  if (stepped) {
    const max = Math.max(0, ...steps.flatMap((s) => (s ? [...s.keys()] : [])))
    const label = options.stepLabel ?? ((n: number) => `Stap ${n}`)
    const columns = Array.from({ length: max }, (_, i) => ({ id: `stap-${i + 1}`, label: label(i + 1) }))
    const rows = live.map((card, i) => ({
      ...base(card),
      cells: columns.map((_, n) => steps[i]?.get(n + 1) ?? ''),
    }))
    return { fieldId: field.id, fieldLabel: field.label, mode: 'steps', columns, rows }
  }
  return {
    fieldId: field.id,
    fieldLabel: field.label,
    mode: 'text',
    columns: [{ id: field.id, label: field.label }],
    rows: live.map((card, i) => ({ ...base(card), cells: [(texts[i] ?? '').trim()] })),
  }
}

/** The planning of a board's live cards. */
export function boardPlanning(doc: Y.Doc, options: PlanningOptions = {}): Planning {
  return planningOf(templateOf(doc), listCards(doc), options)
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value
  if (Array.isArray(value)) return value.join('\n')
  if (value && typeof value === 'object') return Object.values(value).join('\n')
  return ''
}
