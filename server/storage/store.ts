import type { TokenHashes } from '../access/tokens.js'

/**
 * Where boards live. Bytes only: the policy (when to compact, what to merge) lives in the room.
 * Every method resolves only once its effect is durable. Implementations: SqliteStore. One contract
 * test suite (test/storage-contract.ts) runs against each of them.
 */
export interface BoardStore {
  /** Registers a board with its token hashes and first update, atomically. */
  createBoard(board: BoardRecord, initialUpdate: Uint8Array): Promise<void>
  getBoard(id: string): Promise<BoardRecord | undefined>
  /** Replaces the token hash of one role: the old link stops working. */
  setTokenHash(id: string, role: keyof BoardRecord['tokenHashes'], hash: string): Promise<void>
  /** The board's snapshot and the updates appended after it. */
  load(boardId: string): Promise<StoredBoard>
  /**
   * Appends updates (of one or more boards) durably, in one transaction, and returns the sequence
   * number each received. Nothing is appended when it rejects.
   */
  append(entries: readonly AppendEntry[]): Promise<number[]>
  /** Replaces the snapshot and every update with seq ≤ `upToSeq` by `snapshot`, atomically. */
  compact(boardId: string, snapshot: Uint8Array, upToSeq: number): Promise<void>
  /**
   * Adds `delta` (+1 or −1) to one participant's votes on a card, atomically and only within `limits`.
   * Returns the participant's votes after the change, or `refused` with the reason.
   */
  castVote(
    boardId: string,
    voter: string,
    cardId: string,
    delta: 1 | -1,
    limits: VoteLimits,
  ): Promise<VoteResult>
  votesOf(boardId: string, voter: string): Promise<Record<string, number>>
  /** Moves every vote on `fromCard` to `toCard` (a merge keeps the votes). */
  moveVotes(boardId: string, fromCard: string, toCard: string): Promise<void>
  /** Each card's total over all participants. */
  voteTotals(boardId: string): Promise<Map<string, number>>
  /** How many participants have placed at least one vote. */
  voterCount(boardId: string): Promise<number>
  close(): Promise<void>
  /** Stores new personal invitations of a board (docs/api.md, "Personal invitations"), all or none. */
  addInvitations(boardId: string, invitations: readonly InvitationRecord[]): Promise<void>
  /** A board's invitations, in the order they were added. */
  invitations(boardId: string): Promise<InvitationRecord[]>
  /** The board's invitation with this token hash; undefined when there is none (or it was revoked). */
  invitationByTokenHash(boardId: string, tokenHash: string): Promise<InvitationRecord | undefined>
  /** Records when an invitation first joined the board; a later call keeps the first time. */
  markInvitationJoined(boardId: string, invitationId: string, at: number): Promise<void>
  /** Removes an invitation for good: its link stops working. Whether there was one. */
  revokeInvitation(boardId: string, invitationId: string): Promise<boolean>
  /** Whether the board's shared participant link lets anyone in (true unless switched off). */
  sharedLinkEnabled(boardId: string): Promise<boolean>
  setSharedLinkEnabled(boardId: string, enabled: boolean): Promise<void>
  /** Keeps a template made on this instance (saved from a board or uploaded). Fails when the id is taken. */
  saveTemplate(template: StoredTemplate): Promise<void>
  /** The instance's templates, oldest first, without their bodies. */
  listTemplates(): Promise<TemplateSummaryRecord[]>
  getTemplate(id: string): Promise<StoredTemplate | undefined>
  /** Removes a template; whether there was one. Boards made from it keep their copy. */
  deleteTemplate(id: string): Promise<boolean>
  /**
   * A board's whole life (docs/privacy.md). Removes every trace of the board: its record and token
   * hashes, snapshot, updates, votes, and the row of every other table keyed by `board_id`, in one
   * transaction, then makes the removed bytes unreadable where the backend can (SQLite: secure_delete
   * and a truncating WAL checkpoint). Returns whether the board existed.
   */
  deleteBoard(id: string): Promise<boolean>
  /** When the board was last active (ms): its last appended update, its creation, or a postponement. */
  lastActivity(id: string): Promise<number | undefined>
  /** Moves the board's activity time forward to `at` (never back): postpones its automatic deletion. */
  touchBoard(id: string, at: number): Promise<void>
  /** Boards last active before `before` (ms), least recently active first, at most `limit`. */
  inactiveBoards(before: number, limit: number): Promise<InactiveBoard[]>
}

/** A personal invitation: one named participant with a link of their own (only its token's hash is kept). */
export interface InvitationRecord {
  id: string
  name: string
  organisation: string | null
  tokenHash: string
  createdAt: number
  /** When the invitee first connected to the board; null until then. */
  joinedAt: number | null
}

export interface InactiveBoard {
  id: string
  createdAt: number
  activeAt: number
}

export interface VoteLimits {
  budget: number
  perCard: number
}

export type VoteResult =
  | { ok: true; votes: Record<string, number> }
  | { ok: false; reason: 'budget' | 'per-card' | 'none'; votes: Record<string, number> }

export interface BoardRecord {
  id: string
  createdAt: number
  tokenHashes: TokenHashes
}

export interface AppendEntry {
  boardId: string
  update: Uint8Array
}

export interface StoredBoard {
  snapshot: Uint8Array | null
  updates: { seq: number; update: Uint8Array }[]
}

/** What a list of templates shows of one: no body. */
export interface TemplateSummaryRecord {
  id: string
  createdAt: number
  title: string
  description: string
  /** Counts of themes and starting cards. */
  themes: number
  cards: number
}

/** A template made on this instance: its summary and the template itself as JSON text. */
export interface StoredTemplate extends TemplateSummaryRecord {
  body: string
}
