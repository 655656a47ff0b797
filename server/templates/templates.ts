import fs from 'node:fs'
import path from 'node:path'
import { isReservedKey } from '../../model/layout.js'
import type { Template } from '../../model/template.js'
import { type Problem, validateTemplate } from '../http/schemas.js'

export class TemplateError extends Error {
  constructor(
    readonly file: string,
    readonly problems: Problem[],
  ) {
    super(`Template ${file} is invalid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`)
  }
}

/**
 * Reads and validates every template in `dir` (`<id>.json`; `*.schema.json` skipped). Throws a
 * TemplateError naming the file and the path of each problem: a broken template stops startup.
 */
export function loadTemplates(dir: string): Map<string, Template> {
  const templates = new Map<string, Template>()
  const files = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json') && !name.endsWith('.schema.json'))
    .sort()
  for (const name of files) {
    const file = path.join(dir, name)
    const template = parseTemplate(name, fs.readFileSync(file, 'utf8'))
    templates.set(template.id, template)
  }
  return templates
}

/** Parses and checks one template file's text. */
export function parseTemplate(name: string, text: string): Template {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new TemplateError(name, [{ path: '/', message: `not valid JSON (${(error as Error).message})` }])
  }
  const problems = validateTemplate(data)
  if (problems.length === 0) problems.push(...consistencyProblems(name, data as Template))
  if (problems.length > 0) throw new TemplateError(name, problems)
  return data as Template
}

/**
 * What the schema cannot say: unique ids, known references, id matching the file name (when read from
 * a file: `name`). Each problem names its check (`keyword`) and the id concerned (`params`).
 */
export function consistencyProblems(name: string | null, template: Template): Problem[] {
  const problems: Problem[] = []
  if (name !== null && `${template.id}.json` !== name) {
    problems.push({
      path: '/id',
      message: `must match the file name (expected "${name.replace(/\.json$/, '')}")`,
    })
  }
  const unique = (list: { id: string }[], at: string) => {
    const seen = new Set<string>()
    list.forEach((item, i) => {
      if (seen.has(item.id)) {
        problems.push({
          path: `${at}/${i}/id`,
          message: `duplicate id "${item.id}"`,
          keyword: 'duplicate',
          params: { id: item.id },
        })
      }
      seen.add(item.id)
    })
  }
  unique(template.themes, '/themes')
  unique(template.fields, '/fields')
  unique(template.lanes, '/lanes')
  unique(template.criteria ?? [], '/criteria')
  template.fields.forEach((field, i) => {
    if (isReservedKey(field.id))
      problems.push({
        path: `/fields/${i}/id`,
        message: `"${field.id}" is reserved`,
        keyword: 'reserved',
        params: { id: field.id },
      })
  })
  const lanes = new Set(template.lanes.map((lane) => lane.id))
  const themes = new Set(template.themes.map((theme) => theme.id))
  const themeField = template.fields.find((field) => field.optionsFrom === 'themes')
  ;(template.cards ?? []).forEach((card, i) => {
    if (card.lane !== undefined && !lanes.has(card.lane)) {
      problems.push({
        path: `/cards/${i}/lane`,
        message: `unknown lane "${card.lane}"`,
        keyword: 'unknown-lane',
        params: { id: card.lane },
      })
    }
    const chosen = themeField ? card.fields[themeField.id] : undefined
    for (const theme of Array.isArray(chosen) ? chosen : []) {
      if (!themes.has(theme)) {
        problems.push({
          path: `/cards/${i}/fields/${themeField?.id}`,
          message: `unknown theme "${theme}"`,
          keyword: 'unknown-theme',
          params: { id: theme },
        })
      }
    }
  })
  return problems
}
