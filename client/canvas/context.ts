import { createContext, useContext } from 'react'
import type * as Y from 'yjs'
import type { BoardTemplate } from '../../model/template.js'
import type { Can } from '../board/permissions.js'
import type { Peer } from '../board/presence.js'

/** What the card shapes need from outside tldraw: the doc (the model), the template, and who is where. */
export interface CanvasBoard {
  doc: Y.Doc
  template: BoardTemplate
  readOnly: boolean
  can: Can
  userName: string
  spotlight: string | null
  peers: Peer[]
  numbers: Map<string, number>
  onEditing: (cardId: string | null) => void
}

export const CanvasContext = createContext<CanvasBoard | null>(null)

export function useCanvasBoard(): CanvasBoard {
  const board = useContext(CanvasContext)
  if (!board) throw new Error('CanvasContext missing')
  return board
}
