import { readMeta } from '../../model/board.js'
import { boardAsTemplate } from '../../model/board-template.js'
import type { NewCard } from '../../model/cards.js'
import { listCards } from '../../model/read.js'
import type { Template } from '../../model/template.js'
import { authorize } from '../access/access.js'
import { HttpError } from '../http/http.js'
import type { Rooms } from '../realtime/rooms.js'
import type { BoardStore } from '../storage/store.js'

/**
 * A board named in a request body (`{ "board": id, "token": facilitator token }`) as the source of a
 * new board or template. The request's own Authorization header carries the board-creation right, so
 * the board's token travels in the body. Only its facilitator may copy a board.
 */
export async function facilitatorsBoard(store: BoardStore, board: unknown, token: unknown): Promise<string> {
  if (typeof board !== 'string' || typeof token !== 'string') {
    throw new HttpError(400, 'board and token must be texts: the board id and its facilitator token')
  }
  const role = await authorize(store, board, token)
  if (!role) throw new HttpError(401, 'Missing or invalid token')
  if (role !== 'facilitator') throw new HttpError(403, 'Only the facilitator copies a board')
  return board
}

/** What a duplicate of a board starts from: its template (structure) and its cards, with their places. */
export interface BoardCopy {
  title: string
  template: Template
  cards: NewCard[]
}

export function copyOfBoard(rooms: Rooms, boardId: string): Promise<BoardCopy> {
  return rooms.with(boardId, (room) => {
    const meta = readMeta(room.doc)
    const template = { ...boardAsTemplate(room.doc, { includeCards: true }), id: meta.templateId }
    // The template's starting cards are the board's cards in listCards order: take each one's place too.
    const listed = listCards(room.doc)
    const cards: NewCard[] = (template.cards ?? []).map((card, i) => {
      const pos = listed[i]?.pos
      return { number: card.number, lane: card.lane, fields: card.fields, ...(pos ? { pos } : {}) }
    })
    return { title: meta.title, template: { ...template, cards: [] }, cards }
  })
}

/** A board's structure (and cards, when asked) as a template, titled after the board unless told. */
export function templateOfBoard(rooms: Rooms, boardId: string, includeCards: boolean): Promise<Template> {
  return rooms.with(boardId, (room) => {
    const template = boardAsTemplate(room.doc, { includeCards })
    return { ...template, title: readMeta(room.doc).title || template.title }
  })
}
