import { nanoid } from 'nanoid'
import type * as Y from 'yjs'

/**
 * Links between cards, as the seed programmes name them: actions that reinforce each other
 * (koppelkansen) and actions that clash (bestuurlijke dilemma's). Kept in `doc.getMap('links')`:
 * link id → { from, to, kind, note } as one value (a link is made or removed whole).
 */
export const LINKS = 'links'
export const LINK_KINDS = ['koppelkans', 'dilemma'] as const
export type LinkKind = (typeof LINK_KINDS)[number]

export interface CardLink {
  id: string
  from: string
  to: string
  kind: LinkKind
  note: string
}

export function linkCards(
  doc: Y.Doc,
  from: string,
  to: string,
  kind: LinkKind,
  note = '',
  origin?: unknown,
): string {
  if (from === to) throw new Error('A card cannot be linked to itself')
  const id = nanoid()
  doc.transact(() => doc.getMap(LINKS).set(id, { from, to, kind, note }), origin)
  return id
}

export function unlink(doc: Y.Doc, linkId: string, origin?: unknown): void {
  doc.transact(() => doc.getMap(LINKS).delete(linkId), origin)
}

/** All well-formed links, in a stable order; links whose cards are gone (or deleted) are left out. */
export function listLinks(doc: Y.Doc, live?: ReadonlySet<string>): CardLink[] {
  const links: CardLink[] = []
  for (const [id, value] of doc.getMap(LINKS).entries()) {
    const link = value as Partial<CardLink> | null
    if (!link || typeof link.from !== 'string' || typeof link.to !== 'string') continue
    if (!(LINK_KINDS as readonly unknown[]).includes(link.kind)) continue
    if (live && !(live.has(link.from) && live.has(link.to))) continue
    links.push({
      id,
      from: link.from,
      to: link.to,
      kind: link.kind as LinkKind,
      note: typeof link.note === 'string' ? link.note : '',
    })
  }
  return links.sort((a, b) => (a.id < b.id ? -1 : 1))
}
