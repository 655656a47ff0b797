import type * as Y from 'yjs'
import { createCards } from './cards.js'
import { MetaKey, metaOf, SCHEMA_VERSION, templateOf } from './layout.js'
import type { BoardTemplate, Template } from './template.js'

export interface BoardInit {
  id: string
  title: string
  now?: number
}

/** Fills an empty doc with a board made from `template`: meta, and the template's starting cards. */
export function initBoard(doc: Y.Doc, template: Template, init: BoardInit): void {
  const now = init.now ?? Date.now()
  const { cards = [], ...rest } = template
  const { $schema: _schema, ...boardTemplate } = rest as typeof rest & { $schema?: string }
  doc.transact(() => {
    const meta = metaOf(doc)
    meta.set(MetaKey.schemaVersion, SCHEMA_VERSION)
    meta.set(MetaKey.id, init.id)
    meta.set(MetaKey.title, init.title)
    meta.set(MetaKey.templateId, template.id)
    meta.set(MetaKey.template, structuredClone(boardTemplate))
    meta.set(MetaKey.createdAt, now)
    createCards(doc, cards, { now })
  })
}

export interface BoardMeta {
  id: string
  title: string
  templateId: string
  createdAt: number | null
  template: BoardTemplate
}

export function readMeta(doc: Y.Doc): BoardMeta {
  const meta = metaOf(doc)
  const template = templateOf(doc)
  const str = (key: string, fallback: string) => {
    const value = meta.get(key)
    return typeof value === 'string' ? value : fallback
  }
  const createdAt = meta.get(MetaKey.createdAt)
  return {
    id: str(MetaKey.id, ''),
    title: str(MetaKey.title, ''),
    templateId: str(MetaKey.templateId, template.id),
    createdAt: typeof createdAt === 'number' ? createdAt : null,
    template,
  }
}

export function setTitle(doc: Y.Doc, title: string, origin?: unknown): void {
  doc.transact(() => metaOf(doc).set(MetaKey.title, title), origin)
}
