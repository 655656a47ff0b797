import fs from 'node:fs'
import path from 'node:path'
import * as Y from 'yjs'
import { initBoard } from '../../model/board.js'
import type { Template } from '../../model/template.js'
import { projectRoot } from '../../server/paths.js'
import { parseTemplate } from '../../server/templates/templates.js'

export function loadTemplate(id: string): Template {
  const file = path.join(projectRoot, 'templates', `${id}.json`)
  return parseTemplate(`${id}.json`, fs.readFileSync(file, 'utf8'))
}

/**
 * A board without starting cards. By default from a fixed test template: the blank template's six
 * fields with the Pact's six themes, so these tests do not change when the shipped templates grow.
 */
export function newBoard(templateId?: string): Y.Doc {
  const doc = new Y.Doc()
  const { cards: _startingCards, ...template } = templateId
    ? loadTemplate(templateId)
    : { ...loadTemplate('blank'), id: 'test', themes: loadTemplate('pact-westfriesland-7.1').themes }
  initBoard(doc, template, { id: 'board1', title: 'Werksessie', now: Date.UTC(2026, 10, 1) })
  return doc
}

/** A second replica of `doc`, kept in sync in both directions while `connected` is true. */
export function replica(doc: Y.Doc): Y.Doc {
  const other = new Y.Doc()
  Y.applyUpdate(other, Y.encodeStateAsUpdate(doc))
  return other
}

/** Exchanges all missing updates between documents, as a sync round with the server would. */
export function sync(...docs: Y.Doc[]): void {
  for (const a of docs) {
    for (const b of docs) {
      if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
    }
  }
}
