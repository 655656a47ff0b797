import { benchText } from './text.js'

/**
 * A Pact 7.1 board of `cards` cards (its 20, then imported ones with themes and texts of some length),
 * made through the API of the server at `baseUrl`; returns its link for `role` (the facilitator's loads
 * the facilitator's panels too; a participant's is what most people open).
 */
export async function longBoardLink(
  baseUrl: string,
  cards: number,
  role: 'facilitator' | 'participant' = 'facilitator',
): Promise<string> {
  const text = (n: number, seed: number) => benchText(n, seed, 5)
  const res = await fetch(`${baseUrl}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ template: 'pact-westfriesland-7.1', title: `${cards} kaarten` }),
  })
  const board = (await res.json()) as { id: string; tokens: { facilitator: string; participant: string } }
  const themes = ['wonen', 'energie', 'onderwijs', 'vrije-tijd', 'economie', 'zorg']
  const list = Array.from({ length: cards - 20 }, (_, i) => ({
    fields: {
      thema: [themes[i % 6], themes[(i + 2) % 6]],
      actie: text(50 + (i % 150), i),
      doel: text(100 + (i % 100), i + 1),
      partijen: [text(20, i + 4), text(25, i + 5)],
    },
  }))
  const imported = await fetch(`${baseUrl}/api/boards/${board.id}/import`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${board.tokens.facilitator}` },
    body: JSON.stringify(list),
  })
  if (!imported.ok) throw new Error(await imported.text())
  return `${baseUrl}/b/${board.id}?token=${board.tokens[role]}`
}
