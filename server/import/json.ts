import type { ImportCard } from '../../model/import.js'
import { isReservedKey } from '../../model/layout.js'
import type { Theme } from '../../model/template.js'
import { type Problem, validateImportCards, validateImportThemes } from '../http/schemas.js'

/** The cards (and themes) of a JSON import: a Werkbord export document, or just its cards array. */
export function readJsonImport(body: unknown): {
  cards: ImportCard[]
  themes: Theme[]
  cardsPath: string
  problems: Problem[]
} {
  const isArray = Array.isArray(body)
  const object =
    !isArray && body !== null && typeof body === 'object'
      ? (body as { cards?: unknown; themes?: unknown })
      : {}
  const cards = isArray ? body : object.cards
  const base = isArray ? '' : '/cards'
  if (!Array.isArray(cards)) {
    return {
      cards: [],
      themes: [],
      cardsPath: base,
      problems: [{ path: '/', message: 'expected a Werkbord export document or an array of cards' }],
    }
  }
  const at = (prefix: string, path: string) => prefix + (path === '/' ? '' : path) || '/'
  const problems: Problem[] = validateImportCards(cards).map((p) => ({ ...p, path: at(base, p.path) }))
  if (object.themes !== undefined) {
    problems.push(...validateImportThemes(object.themes).map((p) => ({ ...p, path: at('/themes', p.path) })))
  }
  cards.forEach((card: { fields?: Record<string, unknown> }, i) => {
    for (const key of Object.keys(card?.fields ?? {})) {
      if (isReservedKey(key)) {
        problems.push({
          path: `${base}/${i}/fields/${key}`,
          message: `"${key}" is reserved and cannot be a field`,
        })
      }
    }
  })
  if (problems.length > 0) return { cards: [], themes: [], cardsPath: base, problems }
  return {
    cards: cards.map((card: ImportCard) =>
      card.number === undefined ? { fields: card.fields } : { number: card.number, fields: card.fields },
    ),
    themes: (object.themes as Theme[] | undefined) ?? [],
    cardsPath: base,
    problems,
  }
}
