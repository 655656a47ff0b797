import type { Texts } from '../texts.js'

/** One problem the server found in a template (server/templates/instance-templates.ts): where, and what failed. */
export interface TemplateProblem {
  path: string
  message: string
  keyword?: string
  params?: Record<string, unknown>
}

/**
 * A problem in words of the interface's language, naming the place both readably and as the JSON
 * Pointer: "veld 3 › label (/fields/2/label): mag niet leeg zijn".
 */
export function problemText(problem: TemplateProblem, t: Texts): string {
  return `${placeOf(problem.path, t)} (${problem.path}): ${whatOf(problem, t)}`
}

function placeOf(path: string, t: Texts): string {
  const parts = path
    .split('/')
    .slice(1)
    .filter((part) => part !== '')
  if (parts.length === 0) return t.tplRoot
  const words: string[] = []
  for (let i = 0; i < parts.length; i++) {
    const part = (parts[i] as string).replace(/~1/g, '/').replace(/~0/g, '~')
    const next = parts[i + 1]
    const noun = t.tplPath[part]
    if (noun && next !== undefined && /^\d+$/.test(next)) {
      words.push(`${noun} ${Number(next) + 1}`)
      i++
    } else words.push(part)
  }
  return words.join(' › ')
}

function whatOf({ keyword, params = {}, message, path }: TemplateProblem, t: Texts): string {
  const p = t.tplProblem
  const text = (key: string) => String(params[key] ?? '')
  const number = (key: string) => Number(params[key] ?? 0)
  switch (keyword) {
    case 'required':
      return p.required(text('missingProperty'))
    case 'additionalProperties':
      return p.unknownProperty(text('additionalProperty'))
    case 'type':
      return p.type(
        String(params.type)
          .split(',')
          .map((type) => p.types[type] ?? type)
          .join(' / '),
      )
    case 'minLength':
      return p.empty
    case 'maxLength':
      return p.maxLength(number('limit'))
    case 'minItems':
      return p.minItems(number('limit'))
    case 'maxItems':
      return p.maxItems(number('limit'))
    case 'pattern':
      if (text('pattern').startsWith('^#')) return p.color
      if (path.endsWith('/language')) return p.language
      return p.id
    case 'enum':
      return p.oneOf(((params.allowedValues as unknown[]) ?? []).join(', '))
    case 'const':
      return p.oneOf(text('allowedValue'))
    case 'minimum':
      return p.minimum(number('limit'))
    case 'anyOf':
      return /^\/fields\/\d+$/.test(path) ? p.choiceOptions : p.value
    case 'xmlChar':
      return p.xmlChar
    case 'duplicate':
      return p.duplicate(text('id'))
    case 'reserved':
      return p.reserved(text('id'))
    case 'unknown-lane':
      return p.unknownLane(text('id'))
    case 'unknown-theme':
      return p.unknownTheme(text('id'))
    default:
      return message
  }
}
