/**
 * "Mijn borden": the boards this browser made or opened with a facilitator link, kept in localStorage
 * (`werkbord.myBoards`) with their facilitator token, so the facilitator can open, duplicate, save or
 * delete them from the start page. Nothing of it is on the server: another browser has its own list.
 */
export interface MyBoard {
  id: string
  title: string
  /** The facilitator token (as in the facilitator link). */
  token: string
  /** When this browser first kept the board (ms). */
  addedAt: number
}

const KEY = 'werkbord.myBoards'
/** Oldest boards drop off beyond this many: localStorage is small and shared with the boards' caches. */
const MAX_BOARDS = 200

export function readMyBoards(): MyBoard[] {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown
    return Array.isArray(stored) ? stored.filter(isMyBoard) : []
  } catch {
    return []
  }
}

/** Adds a board, or updates its title and token; newest first. */
export function rememberBoard(board: { id: string; title: string; token: string }, now = Date.now()): void {
  const boards = readMyBoards()
  const known = boards.find((b) => b.id === board.id)
  if (known && known.title === board.title && known.token === board.token) return
  const entry: MyBoard = { ...board, addedAt: known?.addedAt ?? now }
  const next = [entry, ...boards.filter((b) => b.id !== board.id)].sort((a, b) => b.addedAt - a.addedAt)
  write(next.slice(0, MAX_BOARDS))
}

export function forgetBoard(id: string): void {
  write(readMyBoards().filter((b) => b.id !== id))
}

function write(boards: MyBoard[]): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(boards))
  } catch {
    // No room: the list is a convenience; the board links still work.
  }
}

function isMyBoard(value: unknown): value is MyBoard {
  const b = value as MyBoard
  return (
    b !== null &&
    typeof b === 'object' &&
    typeof b.id === 'string' &&
    typeof b.title === 'string' &&
    typeof b.token === 'string' &&
    typeof b.addedAt === 'number'
  )
}
