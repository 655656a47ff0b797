import { customAlphabet } from 'nanoid'
import type { Template } from '../../model/template.js'
import { xmlText } from '../export/safe-text.js'
import { HttpError } from '../http/http.js'
import { type Problem, templateSchemaProblems } from '../http/schemas.js'
import type { BoardStore } from '../storage/store.js'
import { consistencyProblems } from './templates.js'

/**
 * What one template made on this instance may hold. Bigger is refused with a clear error: a template is
 * copied into every board made from it, and the start page lists them all.
 */
export const TEMPLATE_LIMITS = {
  /** The template as JSON text (an upload's body, or a board saved as a template). */
  bytes: 4 * 1024 * 1024,
  themes: 100,
  fields: 50,
  /** Options of one choice field, periods of one periods field. */
  options: 200,
  lanes: 20,
  criteria: 50,
  notes: 100,
  cards: 5000,
  /** Templates one instance keeps. */
  templates: 500,
} as const

/** One entry of `GET /api/templates`. */
export interface TemplateSummary {
  id: string
  title: string
  description: string
  themes: number
  cards: number
  /** Read from TEMPLATES_DIR (true), or made on this instance (false). */
  builtIn: boolean
  /** When it was made on this instance (ISO 8601); built-in templates have none. */
  createdAt?: string
}

const newTemplateId = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 12)

/**
 * The templates boards are made from: the built-in ones (TEMPLATES_DIR, read at start) and those made
 * on this instance (in the BoardStore, so every instance of a cluster sees the same). A built-in id is
 * never shadowed: an instance template always gets a fresh id of its own.
 */
export class Templates {
  constructor(
    private readonly store: BoardStore,
    private readonly builtIn: ReadonlyMap<string, Template>,
  ) {}

  async list(): Promise<TemplateSummary[]> {
    const own = await this.store.listTemplates()
    return [
      ...[...this.builtIn.values()].map((template) => ({ ...summaryOf(template), builtIn: true })),
      ...own
        .filter((record) => !this.builtIn.has(record.id))
        .map(({ createdAt, ...record }) => ({
          ...record,
          builtIn: false,
          createdAt: new Date(createdAt).toISOString(),
        })),
    ]
  }

  isBuiltIn(id: string): boolean {
    return this.builtIn.has(id)
  }

  /** A template by id, built-in first; undefined when there is none. */
  async get(id: string): Promise<Template | undefined> {
    const builtIn = this.builtIn.get(id)
    if (builtIn) return builtIn
    const stored = await this.store.getTemplate(id)
    return stored ? (JSON.parse(stored.body) as Template) : undefined
  }

  /**
   * Checks `data` as a template (size limits, templates/template.schema.json, texts Word and Excel can
   * hold, unique ids and known references) and keeps it under a new id. Throws HttpError 400 with every
   * problem found (JSON Pointers into `data`), 413 when too large, 409 when the instance is full.
   */
  async add(data: unknown, now = Date.now()): Promise<TemplateSummary> {
    const template = checkTemplate(data)
    let id = newTemplateId()
    while (this.builtIn.has(id) || (await this.store.getTemplate(id))) id = newTemplateId()
    const { $schema: _schema, ...kept } = { ...template, id } as Template & { $schema?: string }
    const body = JSON.stringify(kept)
    if (Buffer.byteLength(body) > TEMPLATE_LIMITS.bytes) {
      throw new HttpError(413, `The template is larger than ${TEMPLATE_LIMITS.bytes} bytes as JSON`)
    }
    if ((await this.store.listTemplates()).length >= TEMPLATE_LIMITS.templates) {
      throw new HttpError(
        409,
        `This server keeps at most ${TEMPLATE_LIMITS.templates} templates: delete one first`,
      )
    }
    const summary = summaryOf(kept)
    await this.store.saveTemplate({ ...summary, createdAt: now, body })
    return { ...summary, builtIn: false, createdAt: new Date(now).toISOString() }
  }

  /** Removes an instance template; a built-in one cannot be removed (409), an unknown one is 404. */
  async remove(id: string): Promise<void> {
    if (this.builtIn.has(id)) {
      throw new HttpError(409, `"${id}" is a built-in template (TEMPLATES_DIR); it cannot be deleted here`)
    }
    if (!(await this.store.deleteTemplate(id))) throw new HttpError(404, 'No such template')
  }
}

function summaryOf(template: Template) {
  return {
    id: template.id,
    title: template.title,
    description: template.description,
    themes: template.themes.length,
    cards: template.cards?.length ?? 0,
  }
}

/** The checks of `add`, in order: limits (cheap, first), the schema, texts, consistency. */
export function checkTemplate(data: unknown): Template {
  const problems = limitProblems(data)
  if (problems.length === 0) problems.push(...templateSchemaProblems(data))
  if (problems.length === 0) problems.push(...textProblems(data, ''))
  if (problems.length === 0) problems.push(...consistencyProblems(null, data as Template))
  if (problems.length > 0) throw new HttpError(400, 'Invalid template: nothing was saved', { problems })
  return data as Template
}

function limitProblems(data: unknown): Problem[] {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return []
  const problems: Problem[] = []
  const record = data as Record<string, unknown>
  const tooMany = (value: unknown, path: string, limit: number) => {
    if (Array.isArray(value) && value.length > limit) {
      problems.push({
        path,
        message: `must have at most ${limit} items (has ${value.length})`,
        keyword: 'maxItems',
        params: { limit },
      })
    }
  }
  tooMany(record.themes, '/themes', TEMPLATE_LIMITS.themes)
  tooMany(record.fields, '/fields', TEMPLATE_LIMITS.fields)
  tooMany(record.lanes, '/lanes', TEMPLATE_LIMITS.lanes)
  tooMany(record.criteria, '/criteria', TEMPLATE_LIMITS.criteria)
  tooMany(record.notes, '/notes', TEMPLATE_LIMITS.notes)
  tooMany(record.cards, '/cards', TEMPLATE_LIMITS.cards)
  if (Array.isArray(record.fields) && record.fields.length <= TEMPLATE_LIMITS.fields) {
    record.fields.forEach((field, i) => {
      if (field === null || typeof field !== 'object') return
      const def = field as Record<string, unknown>
      tooMany(def.options, `/fields/${i}/options`, TEMPLATE_LIMITS.options)
      tooMany(def.periods, `/fields/${i}/periods`, TEMPLATE_LIMITS.options)
    })
  }
  return problems
}

/** Texts (and keys) with characters XML 1.0 forbids: boards made from it would export files Word refuses. */
function textProblems(value: unknown, path: string): Problem[] {
  if (typeof value === 'string') {
    return xmlText(value) === value
      ? []
      : [
          {
            path: path || '/',
            message: 'contains a control character that is not allowed in text',
            keyword: 'xmlChar',
          },
        ]
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => textProblems(item, `${path}/${i}`))
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => [
      ...textProblems(key, path),
      ...textProblems(item, `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`),
    ])
  }
  return []
}
