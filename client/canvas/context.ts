import { createContext, useContext } from 'react'
import type * as Y from 'yjs'
import type { Phase } from '../../model/phases.js'
import type { BoardTemplate } from '../../model/template.js'
import type { Can } from '../board/session/permissions.js'
import type { CardEditorMark } from '../card/CardFace.js'

/** What the card shapes need from outside tldraw: the doc (the model), the template, and who is where. */
export interface CanvasBoard {
  doc: Y.Doc
  template: BoardTemplate
  phase: Phase
  can: Can
  spotlight: string | null
  /** Who else edits which card (from presence); changes only when that does, not with every cursor. */
  editing: ReadonlyMap<string, readonly CardEditorMark[]>
  numbers: Map<string, number>
  /** Opens a card's detail editor. */
  openCard: (cardId: string) => void
}

export const CanvasContext = createContext<CanvasBoard | null>(null)

export function useCanvasBoard(): CanvasBoard {
  const board = useContext(CanvasContext)
  if (!board) throw new Error('CanvasContext missing')
  return board
}
