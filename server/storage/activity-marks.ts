/**
 * How far a board's stored activity time (`boards.active_at`, what retention counts from) may lag
 * behind its last stored change. Retention counts days (RETENTION_DAYS), so the time is written at
 * most once a minute per board, not in every append transaction: each write changes two more pages
 * (the board's row and the `boards_by_activity` index), which took the WAL written per update from 3
 * to 5 pages, and with it the bytes every commit fsyncs and how often a commit has to wait for a
 * checkpoint — on the path of every edit, before it is relayed (bench/README.md, "Fan-out tail at
 * N = 200 since `92f1e70`").
 */
export const ACTIVITY_RESOLUTION_MS = 60_000

/** Boards remembered at most; beyond, those written longer than the resolution ago are forgotten. */
const MAX_REMEMBERED = 10_000

/**
 * Which boards' activity time an append must write: those not written by this process within the
 * resolution. A board is marked only once the transaction that wrote it committed (`wrote`).
 */
export class ActivityMarks {
  private readonly written = new Map<string, number>()

  constructor(private readonly resolutionMs = ACTIVITY_RESOLUTION_MS) {}

  /** Of the boards an append touches (repeats allowed), those whose activity time is due at `now`. */
  due(boardIds: Iterable<string>, now: number): string[] {
    if (this.written.size > MAX_REMEMBERED) {
      for (const [id, at] of this.written) if (now - at >= this.resolutionMs) this.written.delete(id)
    }
    const due: string[] = []
    for (const id of new Set(boardIds)) {
      const at = this.written.get(id)
      // A clock that went back writes again: MAX() in the statement keeps the later time.
      if (at === undefined || now - at >= this.resolutionMs || now < at) due.push(id)
    }
    return due
  }

  /** The activity time of these boards was written (committed) as `at`. */
  wrote(boardIds: readonly string[], at: number): void {
    for (const id of boardIds) this.written.set(id, at)
  }

  /** The board is gone (deleted): nothing to remember. */
  forget(boardId: string): void {
    this.written.delete(boardId)
  }
}
