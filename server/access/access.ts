import type { BoardStore } from '../storage/store.js'
import { hashToken, isValidBoardId, type Role, roleFor } from './tokens.js'

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

/** What a link grants: a role and, for a personal invitation, who it is (docs/api.md, "Personal invitations"). */
export interface Access {
  role: Role
  /** The invitation a personal link belongs to; null for the three board links. */
  invitation: { id: string; name: string } | null
}

/**
 * The access a token gives on a board: one of the board's three links, or a personal invitation (a
 * participant with a name). `shared-link-off`: the shared participant link while the facilitator has
 * switched it off. Checked against the store on every request and every (re)connection, so a revoked
 * invitation or a switched-off link is refused there whatever any instance missed.
 */
export async function grant(
  store: BoardStore,
  boardId: string,
  token: string | null,
): Promise<Access | 'unauthorized' | 'shared-link-off'> {
  if (!token || token.length > 256 || !isValidBoardId(boardId)) return 'unauthorized'
  const board = await store.getBoard(boardId)
  const role = roleFor(board?.tokenHashes, token)
  if (role === 'participant') {
    return (await store.sharedLinkEnabled(boardId)) ? { role, invitation: null } : 'shared-link-off'
  }
  if (role) return { role, invitation: null }
  // Looked up also when the board does not exist, so that timing does not tell the two apart.
  const invitation = await store.invitationByTokenHash(boardId, hashToken(token))
  if (!invitation || !board) return 'unauthorized'
  return { role: 'participant', invitation: { id: invitation.id, name: invitation.name } }
}
