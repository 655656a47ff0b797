/**
 * What a store must offer for several instances to share boards: every board's updates are numbered
 * 1, 2, 3, … in commit order, so an instance that holds a board up to number n knows exactly what it
 * lacks when it hears of a higher one, and can read it. Implementation: PostgresStore.
 */
export interface SequencedStore {
  /**
   * What a board holds after sequence number `afterSeq`: the updates after it and, when some of those
   * were compacted away, the snapshot that holds them. `head` is the board's last sequence number; all
   * of it is covered by what is returned together with everything up to `afterSeq`.
   */
  readSince(boardId: string, afterSeq: number): Promise<SequencedBoard>
  /** The last sequence number of each of these boards (boards that do not exist are left out). */
  heads(boardIds: readonly string[]): Promise<Map<string, number>>
}

export interface SequencedBoard {
  snapshot: { seq: number; data: Uint8Array } | null
  updates: { seq: number; update: Uint8Array }[]
  head: number
}
