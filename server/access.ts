import type { BoardStore } from './storage.js'
import { isValidBoardId, type Role, roleFor } from './tokens.js'

/**
 * Who may do what on a board: the role a token grants, or null. A missing board and a wrong token
 * look the same from outside, by design.
 */
export async function authorize(
  store: BoardStore,
  boardId: string,
  token: string | null,
): Promise<Role | null> {
  if (!token || token.length > 256 || !isValidBoardId(boardId)) return null
  const board = await store.getBoard(boardId)
  return roleFor(board?.tokenHashes, token)
}

/** The token of a request: `Authorization: Bearer <token>` or `?token=`. */
export function tokenOf(url: URL, authorization: string | undefined): string | null {
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1]
  return bearer ?? url.searchParams.get('token')
}
