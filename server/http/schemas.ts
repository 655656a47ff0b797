import fs from 'node:fs'
import path from 'node:path'
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { projectRoot } from '../paths.js'

/** One thing wrong with an input: where (a JSON pointer) and what. */
export interface Problem {
  path: string
  message: string
  /** What failed (a JSON Schema keyword, or a check of our own), so a client can word it itself. */
  keyword?: string
  params?: Record<string, unknown>
}

/** The published JSON Schemas, read from the repository (docs/ and templates/). */
export const schemaFiles = {
  template: path.join(projectRoot, 'templates', 'template.schema.json'),
  export: path.join(projectRoot, 'docs', 'export.schema.json'),
  import: path.join(projectRoot, 'docs', 'import.schema.json'),
}

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true })
addFormats.default(ajv)
for (const file of Object.values(schemaFiles)) ajv.addSchema(JSON.parse(fs.readFileSync(file, 'utf8')))

function compiled(id: string): ValidateFunction {
  const validate = ajv.getSchema(id)
  if (!validate) throw new Error(`Schema not found: ${id}`)
  return validate
}

const ids = {
  template: 'https://werkbord.local/schemas/template.schema.json',
  export: 'https://werkbord.local/schemas/export.schema.json',
  importCards: 'https://werkbord.local/schemas/import.schema.json#/$defs/cards',
  importThemes: 'https://werkbord.local/schemas/import.schema.json#/$defs/themes',
}

export const validateTemplate = (data: unknown): Problem[] => check(compiled(ids.template), data)
export const validateExport = (data: unknown): Problem[] => check(compiled(ids.export), data)
export const validateImportCards = (data: unknown): Problem[] => check(compiled(ids.importCards), data)
export const validateImportThemes = (data: unknown): Problem[] => check(compiled(ids.importThemes), data)

function check(validate: ValidateFunction, data: unknown): Problem[] {
  if (validate(data)) return []
  return problemsOf(validate.errors ?? [])
}

/** Readable problems: one per place, with alternatives ("anyOf") reported as one message. */
function problemsOf(errors: ErrorObject[]): Problem[] {
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath))
  const problems: Problem[] = []
  const seen = new Set<string>()
  for (const error of errors) {
    const at = error.instancePath || '/'
    const insideAnyOf = anyOfPaths.has(error.instancePath) && error.keyword !== 'anyOf'
    if (insideAnyOf) continue
    const message =
      error.keyword === 'anyOf'
        ? 'must be text, null, a list of texts, or an object of texts (within the size limits)'
        : error.keyword === 'additionalProperties'
          ? `unknown property "${(error.params as { additionalProperty: string }).additionalProperty}"`
          : (error.message ?? 'is invalid')
    const key = `${at}\u0000${message}`
    if (seen.has(key)) continue
    seen.add(key)
    problems.push({ path: at, message })
  }
  return problems
}

/**
 * Like validateTemplate, for templates made on this instance (issue 12): every problem with its keyword
 * and parameters, so a client can word it in its own language. Of an `anyOf`, only the anyOf itself is
 * reported (not each alternative's failure); `if` is left out (its `then` says what is wrong).
 */
export function templateSchemaProblems(data: unknown): Problem[] {
  const validate = compiled(ids.template)
  if (validate(data)) return []
  const errors = validate.errors ?? []
  const alternatives = errors.filter((e) => e.keyword === 'anyOf').map((e) => `${e.schemaPath}/`)
  // A field without a kind fails every kind's `then` as well: only the missing kind is worth saying.
  const withoutKind = new Set(
    errors
      .filter(
        (e) =>
          e.keyword === 'required' && (e.params as { missingProperty?: string }).missingProperty === 'kind',
      )
      .map((e) => e.instancePath),
  )
  const problems: Problem[] = []
  const seen = new Set<string>()
  for (const error of errors) {
    if (error.keyword === 'if' || alternatives.some((at) => error.schemaPath.startsWith(at))) continue
    if (withoutKind.has(error.instancePath) && error.schemaPath.includes('/then/')) continue
    const path = error.instancePath || '/'
    const message =
      error.keyword === 'anyOf'
        ? /^\/fields\/\d+$/.test(path)
          ? 'a choice field needs "options" or "optionsFrom"'
          : 'must be text, null, a list of texts, or an object of texts'
        : error.keyword === 'additionalProperties'
          ? `unknown property "${(error.params as { additionalProperty: string }).additionalProperty}"`
          : (error.message ?? 'is invalid')
    const key = `${path}\u0000${message}`
    if (seen.has(key)) continue
    seen.add(key)
    problems.push({ path, message, keyword: error.keyword, params: error.params })
  }
  return problems
}
