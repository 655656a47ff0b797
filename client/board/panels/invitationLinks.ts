/**
 * The personal links this browser made (the server keeps only their hashes and cannot show them
 * again), per board: invitation id → link. Kept with the facilitator's other board data in
 * localStorage, so the sheet can be printed again after a reload on the same device.
 */
const key = (boardId: string) => `werkbord.invitations.${boardId}`

export function knownLinks(boardId: string): Record<string, string> {
  try {
    const parsed = JSON.parse(localStorage.getItem(key(boardId)) ?? '{}') as unknown
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {}
  } catch {
    return {}
  }
}

export function rememberLinks(boardId: string, links: Record<string, string>): Record<string, string> {
  const all = { ...knownLinks(boardId), ...links }
  try {
    localStorage.setItem(key(boardId), JSON.stringify(all))
  } catch {
    // No room: the links are still shown in this page.
  }
  return all
}

export function forgetLink(boardId: string, id: string): Record<string, string> {
  const { [id]: _gone, ...rest } = knownLinks(boardId)
  try {
    localStorage.setItem(key(boardId), JSON.stringify(rest))
  } catch {
    // nothing to do
  }
  return rest
}

/** A pasted list: one person per line, "Naam, Organisatie" (a tab or ; separates too). */
export function parsePeopleList(text: string): { name: string; organisation?: string }[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [name = '', ...rest] = line.split(/[,;\t]/)
      const organisation = rest.join(', ').trim()
      return organisation ? { name: name.trim(), organisation } : { name: name.trim() }
    })
    .filter((person) => person.name !== '')
}
