import * as Y from 'yjs'
import type { FieldDef, FieldValue } from './template.js'

/**
 * How each field kind lives in the Y.Doc, chosen so concurrent edits merge:
 *
 *   text          Y.Text                      character-wise merge
 *   choice        string | null (plain value) last writer wins; one value is the point of a choice
 *   multi-choice  Y.Map<option id, true>      a set: concurrent adds of different options both stay
 *   list          Y.Array<string>             concurrent inserts both stay
 *   periods       Y.Map<period id, Y.Text>    each period is text that merges character-wise
 *
 * Other clients may store other shapes; reading is lenient (see `readValue`).
 */

/** Creates the stored form of a plain JSON value for a field (or for an unknown, extra field). */
export function toStored(def: FieldDef | undefined, value: FieldValue | undefined): unknown {
  switch (def?.kind) {
    case 'text':
      return new Y.Text(asText(value))
    case 'choice':
      return typeof value === 'string' && value !== '' ? value : null
    case 'multi-choice': {
      const set = new Y.Map<boolean>()
      for (const option of asList(value)) set.set(option, true)
      return set
    }
    case 'list':
      return Y.Array.from(asList(value))
    case 'periods': {
      const given = value && typeof value === 'object' && !Array.isArray(value) ? value : {}
      const texts: Record<string, string> = {}
      for (const period of def.periods ?? []) texts[period.id] = given[period.id] ?? ''
      return textMap({ ...texts, ...given })
    }
    default:
      return looseToStored(value)
  }
}

/** An extra field the template does not know: stored in the shape its JSON value suggests. */
function looseToStored(value: FieldValue | undefined): unknown {
  if (typeof value === 'string') return new Y.Text(value)
  if (Array.isArray(value)) return Y.Array.from(value)
  if (value && typeof value === 'object') return textMap(value)
  return null
}

/** A Y.Map of Y.Texts, built from plain JSON before it joins a document (so nothing reads it early). */
function textMap(texts: Record<string, string>): Y.Map<Y.Text> {
  const map = new Y.Map<Y.Text>()
  for (const [id, text] of Object.entries(texts)) map.set(id, new Y.Text(text))
  return map
}

/**
 * Reads a stored value as plain JSON. A missing value reads as the kind's empty value. The result does
 * not depend on the order in which replicas received concurrent changes: sets come out in `optionOrder`
 * (the template's order) and then alphabetically, extra keys alphabetically.
 */
export function readValue(
  def: FieldDef | undefined,
  stored: unknown,
  optionOrder: readonly string[] = [],
): FieldValue {
  switch (def?.kind) {
    case 'text':
      return textOf(stored)
    case 'choice':
      return stored === undefined || stored === null || stored === '' ? null : textOf(stored)
    case 'multi-choice':
      return sortByOrder(setOf(stored), optionOrder)
    case 'list':
      return listOf(stored)
    case 'periods': {
      const out: Record<string, string> = {}
      for (const period of def.periods ?? []) out[period.id] = ''
      if (stored instanceof Y.Map) {
        for (const [id, part] of sortedEntries(stored)) out[id] = textOf(part)
      } else if (isPlainObject(stored)) {
        for (const id of Object.keys(stored).sort()) out[id] = textOf(stored[id])
      } else if (typeof stored === 'string' || stored instanceof Y.Text) {
        // Another client wrote planning as one text: keep it under the first period.
        const first = def.periods?.[0]?.id ?? 'tekst'
        out[first] = textOf(stored)
      }
      return out
    }
    default:
      return readLoose(stored)
  }
}

function readLoose(stored: unknown): FieldValue {
  if (stored instanceof Y.Text || typeof stored === 'string') return textOf(stored)
  if (stored instanceof Y.Array) return listOf(stored)
  if (stored instanceof Y.Map) {
    const out: Record<string, string> = {}
    for (const [id, part] of sortedEntries(stored)) out[id] = textOf(part)
    return out
  }
  if (Array.isArray(stored)) return stored.map(textOf)
  if (isPlainObject(stored)) {
    const out: Record<string, string> = {}
    for (const id of Object.keys(stored).sort()) out[id] = textOf(stored[id])
    return out
  }
  if (stored === undefined || stored === null) return null
  return textOf(stored)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype
}

function sortedEntries(map: Y.Map<unknown>): [string, unknown][] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}

function sortByOrder(ids: string[], order: readonly string[]): string[] {
  const rank = (id: string) => {
    const i = order.indexOf(id)
    return i === -1 ? order.length : i
  }
  return ids.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
}

function textOf(stored: unknown): string {
  if (stored instanceof Y.Text) return stored.toString()
  if (typeof stored === 'string') return stored
  if (stored === undefined || stored === null) return ''
  if (typeof stored === 'number' || typeof stored === 'boolean') return String(stored)
  return ''
}

function listOf(stored: unknown): string[] {
  if (stored instanceof Y.Array) return stored.toArray().map(textOf)
  if (Array.isArray(stored)) return stored.map(textOf)
  if (typeof stored === 'string' && stored !== '') return [stored]
  return []
}

function setOf(stored: unknown): string[] {
  if (stored instanceof Y.Map) {
    return [...stored.entries()].filter(([, on]) => on === true).map(([id]) => id)
  }
  return listOf(stored)
}

function asText(value: FieldValue | undefined): string {
  if (typeof value === 'string') return value
  if (Array.isArray(value)) return value.join('\n')
  return ''
}

function asList(value: FieldValue | undefined): string[] {
  if (Array.isArray(value)) return value
  if (typeof value === 'string' && value !== '') return [value]
  return []
}

/**
 * Replaces the content of a Y.Text with `next` by deleting and inserting only the changed middle part,
 * so a concurrent edit elsewhere in the same text survives.
 */
export function replaceText(text: Y.Text, next: string): void {
  const current = text.toString()
  if (current === next) return
  let start = 0
  const max = Math.min(current.length, next.length)
  while (start < max && current.charCodeAt(start) === next.charCodeAt(start)) start++
  let end = 0
  while (
    end < max - start &&
    current.charCodeAt(current.length - 1 - end) === next.charCodeAt(next.length - 1 - end)
  ) {
    end++
  }
  // Never split a surrogate pair.
  if (start > 0 && isHighSurrogate(current.charCodeAt(start - 1))) start--
  if (end > 0 && isLowSurrogate(current.charCodeAt(current.length - end))) end--
  const removed = current.length - start - end
  if (removed > 0) text.delete(start, removed)
  const inserted = next.slice(start, next.length - end)
  if (inserted) text.insert(start, inserted)
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff
}
