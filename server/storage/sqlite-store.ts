import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { ActivityMarks } from './activity-marks.js'
import { AppendWorker } from './append-worker.js'
import { eraseFromBackups } from './backup.js'
import {
  type BoardRow,
  boardOf,
  type InvitationRow,
  invitationOf,
  type TemplateRow,
  templateSummary,
} from './rows.js'
import { deletedIds, eraseBoard, noteDeleted } from './sqlite-erase.js'
import type {
  AppendEntry,
  BoardRecord,
  BoardStore,
  InactiveBoard,
  InvitationRecord,
  StoredBoard,
  StoredTemplate,
  TemplateSummaryRecord,
  VoteLimits,
  VoteResult,
} from './store.js'

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE boards (
     id TEXT PRIMARY KEY,
     created_at INTEGER NOT NULL,
     facilitator_hash TEXT NOT NULL,
     participant_hash TEXT NOT NULL,
     observer_hash TEXT NOT NULL
   );
   CREATE TABLE snapshots (
     board_id TEXT PRIMARY KEY REFERENCES boards(id),
     data BLOB NOT NULL
   );
   CREATE TABLE updates (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     board_id TEXT NOT NULL REFERENCES boards(id),
     data BLOB NOT NULL
   );
   CREATE INDEX updates_by_board ON updates (board_id, seq);`,
  `CREATE TABLE votes (
     board_id TEXT NOT NULL REFERENCES boards(id),
     voter TEXT NOT NULL,
     card_id TEXT NOT NULL,
     count INTEGER NOT NULL CHECK (count > 0),
     PRIMARY KEY (board_id, voter, card_id)
   ) WITHOUT ROWID;`,
  // Personal invitations (server/access/invitations.ts): one row per invitee, only the token's hash.
  `CREATE TABLE invitations (
     board_id TEXT NOT NULL REFERENCES boards(id),
     id TEXT NOT NULL,
     name TEXT NOT NULL,
     organisation TEXT,
     token_hash TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     joined_at INTEGER,
     PRIMARY KEY (board_id, id)
   );
   CREATE UNIQUE INDEX invitations_by_token ON invitations (board_id, token_hash);
   CREATE TABLE invitation_settings (
     board_id TEXT PRIMARY KEY REFERENCES boards(id),
     shared_link_off INTEGER NOT NULL DEFAULT 0
   );`,
  // board-life (retention): when each board was last active. Boards of an older install start their
  // retention period at the upgrade, never at their creation (that could delete a board in use).
  `ALTER TABLE boards ADD COLUMN active_at INTEGER;
   UPDATE boards SET active_at = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER);
   CREATE INDEX boards_by_activity ON boards (active_at);`,
  // Templates made on this instance (issue 12): a summary for the start page's list, and the body (JSON).
  `CREATE TABLE templates (
     id TEXT PRIMARY KEY,
     created_at INTEGER NOT NULL,
     title TEXT NOT NULL,
     description TEXT NOT NULL,
     themes INTEGER NOT NULL,
     cards INTEGER NOT NULL,
     body TEXT NOT NULL
   );`,
]

/** The migration (1-based count) that added board deletion: an older file is vacuumed once on upgrade. */
const BOARD_LIFE_VERSION = 4

/**
 * The embedded store: one SQLite file in WAL mode with synchronous=FULL, so a transaction that
 * returned is on disk, even after a power cut. A resolved promise here means the data is durable.
 * Updates, the hot path, are appended by a worker thread on its own connection (append-worker.ts), so
 * their fsync does not stop the event loop; compactions are written there too, between two batches.
 * Everything else runs on this connection (better-sqlite3 is synchronous: durable before any other
 * work runs).
 */
export class SqliteStore implements BoardStore {
  private readonly db: Database.Database
  private readonly appender: AppendWorker | null
  /** The folder of the file (its backups and the list of deleted boards); null in memory. */
  private readonly dataDir: string | null
  private readonly stmt
  /** Boards whose activity time this process wrote lately: appends skip writing it again. */
  private readonly activity = new ActivityMarks()

  constructor(file: string) {
    if (file !== ':memory:') makePrivate(file)
    this.db = new Database(file)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('synchronous = FULL')
    this.db.pragma('foreign_keys = ON')
    this.db.pragma('busy_timeout = 5000')
    // Deleted content is overwritten with zeros, not left in free pages (a deleted board, compacted logs).
    this.db.pragma('secure_delete = ON')
    const before = migrate(this.db)
    if (before > 0 && before < BOARD_LIFE_VERSION) {
      // Content deleted before secure_delete was on may linger in free pages: rewrite the file once.
      this.db.exec('VACUUM')
      this.db.pragma('wal_checkpoint(TRUNCATE)')
    }
    this.dataDir = file === ':memory:' ? null : path.dirname(file)
    // A backup restored after boards were deleted must not bring them back.
    const present = this.db.prepare<[string], { id: string }>('SELECT id FROM boards WHERE id = ?')
    for (const id of this.dataDir ? deletedIds(this.dataDir) : []) {
      if (present.get(id)) eraseBoard(this.db, id)
    }
    this.appender = file === ':memory:' ? null : new AppendWorker(file)
    this.stmt = {
      insertBoard: this.db.prepare(
        'INSERT INTO boards (id, created_at, facilitator_hash, participant_hash, observer_hash, active_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      touch: this.db.prepare('UPDATE boards SET active_at = MAX(COALESCE(active_at, 0), ?) WHERE id = ?'),
      getBoard: this.db.prepare<[string], BoardRow>('SELECT * FROM boards WHERE id = ?'),
      getSnapshot: this.db.prepare<[string], { data: Buffer }>(
        'SELECT data FROM snapshots WHERE board_id = ?',
      ),
      getUpdates: this.db.prepare<[string], { seq: number; data: Buffer }>(
        'SELECT seq, data FROM updates WHERE board_id = ? ORDER BY seq',
      ),
      insertUpdate: this.db.prepare('INSERT INTO updates (board_id, data) VALUES (?, ?)'),
      putSnapshot: this.db.prepare(
        'INSERT INTO snapshots (board_id, data) VALUES (?, ?) ON CONFLICT (board_id) DO UPDATE SET data = excluded.data',
      ),
      deleteUpdates: this.db.prepare('DELETE FROM updates WHERE board_id = ? AND seq <= ?'),
      votesOf: this.db.prepare<[string, string], { card_id: string; count: number }>(
        'SELECT card_id, count FROM votes WHERE board_id = ? AND voter = ?',
      ),
      setVote: this.db.prepare(
        'INSERT INTO votes (board_id, voter, card_id, count) VALUES (?, ?, ?, ?) ON CONFLICT (board_id, voter, card_id) DO UPDATE SET count = excluded.count',
      ),
      deleteVote: this.db.prepare('DELETE FROM votes WHERE board_id = ? AND voter = ? AND card_id = ?'),
      totals: this.db.prepare<[string], { card_id: string; total: number }>(
        'SELECT card_id, SUM(count) AS total FROM votes WHERE board_id = ? GROUP BY card_id',
      ),
      voters: this.db.prepare<[string], { n: number }>(
        'SELECT COUNT(DISTINCT voter) AS n FROM votes WHERE board_id = ?',
      ),
    }
  }

  static open(dataDir: string): SqliteStore {
    return new SqliteStore(path.join(dataDir, 'werkbord.sqlite'))
  }

  async createBoard(board: BoardRecord, initialUpdate: Uint8Array): Promise<void> {
    this.db.transaction(() => {
      const h = board.tokenHashes
      this.stmt.insertBoard.run(
        board.id,
        board.createdAt,
        h.facilitator,
        h.participant,
        h.observer,
        board.createdAt,
      )
      this.stmt.insertUpdate.run(board.id, initialUpdate)
    })()
  }

  async setTokenHash(id: string, role: keyof BoardRecord['tokenHashes'], hash: string): Promise<void> {
    const column = {
      facilitator: 'facilitator_hash',
      participant: 'participant_hash',
      observer: 'observer_hash',
    }[role]
    this.db.prepare(`UPDATE boards SET ${column} = ? WHERE id = ?`).run(hash, id)
  }

  async getBoard(id: string): Promise<BoardRecord | undefined> {
    const row = this.stmt.getBoard.get(id)
    if (!row) return undefined
    return boardOf(row)
  }

  async load(boardId: string): Promise<StoredBoard> {
    return this.db.transaction(() => {
      const snapshot = this.stmt.getSnapshot.get(boardId)
      const updates = this.stmt.getUpdates
        .all(boardId)
        .map((row) => ({ seq: row.seq, update: bytes(row.data) }))
      return { snapshot: snapshot ? bytes(snapshot.data) : null, updates }
    })()
  }

  async append(entries: readonly AppendEntry[]): Promise<number[]> {
    // The boards' activity time is written at most once a minute each (activity-marks.ts).
    const now = Date.now()
    const touch = this.activity.due(
      entries.map((entry) => entry.boardId),
      now,
    )
    const seqs = this.appender
      ? await this.appender.append(entries, touch, now)
      : this.db.transaction(() => {
          const seqs = entries.map((entry) =>
            Number(this.stmt.insertUpdate.run(entry.boardId, entry.update).lastInsertRowid),
          )
          for (const id of touch) this.stmt.touch.run(now, id)
          return seqs
        })()
    this.activity.wrote(touch, now)
    return seqs
  }

  async compact(boardId: string, snapshot: Uint8Array, upToSeq: number): Promise<void> {
    // In the append worker (one writer, in order with the appends), not on the event loop.
    if (this.appender) return this.appender.compact(boardId, snapshot, upToSeq)
    this.db.transaction(() => {
      this.stmt.putSnapshot.run(boardId, snapshot)
      this.stmt.deleteUpdates.run(boardId, upToSeq)
    })()
  }

  async castVote(
    boardId: string,
    voter: string,
    cardId: string,
    delta: 1 | -1,
    limits: VoteLimits,
  ): Promise<VoteResult> {
    // One transaction: the budget check and the write cannot interleave with another vote. IMMEDIATE:
    // the write lock is taken (waiting on busy_timeout) before the read, so a commit of the append
    // worker in between cannot fail the upgrade from reader to writer (SQLITE_BUSY_SNAPSHOT).
    const cast = this.db.transaction((): VoteResult => {
      const votes = this.readVotes(boardId, voter)
      const onCard = votes[cardId] ?? 0
      const used = Object.values(votes).reduce((sum, n) => sum + n, 0)
      if (delta === -1 && onCard === 0) return { ok: false, reason: 'none', votes }
      if (delta === 1 && used >= limits.budget) return { ok: false, reason: 'budget', votes }
      if (delta === 1 && onCard >= limits.perCard) return { ok: false, reason: 'per-card', votes }
      const next = onCard + delta
      if (next === 0) this.stmt.deleteVote.run(boardId, voter, cardId)
      else this.stmt.setVote.run(boardId, voter, cardId, next)
      return { ok: true, votes: this.readVotes(boardId, voter) }
    })
    return cast.immediate()
  }

  async votesOf(boardId: string, voter: string): Promise<Record<string, number>> {
    return this.readVotes(boardId, voter)
  }

  async moveVotes(boardId: string, fromCard: string, toCard: string): Promise<void> {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO votes (board_id, voter, card_id, count)
             SELECT board_id, voter, ?, count FROM votes WHERE board_id = ? AND card_id = ?
           ON CONFLICT (board_id, voter, card_id) DO UPDATE SET count = count + excluded.count`,
        )
        .run(toCard, boardId, fromCard)
      this.db.prepare('DELETE FROM votes WHERE board_id = ? AND card_id = ?').run(boardId, fromCard)
    })()
  }

  async voteTotals(boardId: string): Promise<Map<string, number>> {
    return new Map(this.stmt.totals.all(boardId).map((row) => [row.card_id, row.total]))
  }

  async voterCount(boardId: string): Promise<number> {
    return this.stmt.voters.get(boardId)?.n ?? 0
  }

  private readVotes(boardId: string, voter: string): Record<string, number> {
    return Object.fromEntries(this.stmt.votesOf.all(boardId, voter).map((row) => [row.card_id, row.count]))
  }

  async addInvitations(boardId: string, invitations: readonly InvitationRecord[]): Promise<void> {
    const insert = this.db.prepare(
      `INSERT INTO invitations (board_id, id, name, organisation, token_hash, created_at, joined_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    this.db.transaction(() => {
      for (const i of invitations)
        insert.run(boardId, i.id, i.name, i.organisation, i.tokenHash, i.createdAt, i.joinedAt)
    })()
  }

  async invitations(boardId: string): Promise<InvitationRecord[]> {
    return this.db
      .prepare<[string], InvitationRow>('SELECT * FROM invitations WHERE board_id = ? ORDER BY rowid')
      .all(boardId)
      .map(invitationOf)
  }

  async invitationByTokenHash(boardId: string, tokenHash: string): Promise<InvitationRecord | undefined> {
    const row = this.db
      .prepare<[string, string], InvitationRow>(
        'SELECT * FROM invitations WHERE board_id = ? AND token_hash = ?',
      )
      .get(boardId, tokenHash)
    return row ? invitationOf(row) : undefined
  }

  async markInvitationJoined(boardId: string, invitationId: string, at: number): Promise<void> {
    this.db
      .prepare('UPDATE invitations SET joined_at = ? WHERE board_id = ? AND id = ? AND joined_at IS NULL')
      .run(at, boardId, invitationId)
  }

  async revokeInvitation(boardId: string, invitationId: string): Promise<boolean> {
    const result = this.db
      .prepare('DELETE FROM invitations WHERE board_id = ? AND id = ?')
      .run(boardId, invitationId)
    return result.changes > 0
  }

  async sharedLinkEnabled(boardId: string): Promise<boolean> {
    const row = this.db
      .prepare<[string], { off: number }>(
        'SELECT shared_link_off AS off FROM invitation_settings WHERE board_id = ?',
      )
      .get(boardId)
    return !row?.off
  }

  async setSharedLinkEnabled(boardId: string, enabled: boolean): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO invitation_settings (board_id, shared_link_off) VALUES (?, ?)
         ON CONFLICT (board_id) DO UPDATE SET shared_link_off = excluded.shared_link_off`,
      )
      .run(boardId, enabled ? 0 : 1)
  }

  async saveTemplate(template: StoredTemplate): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO templates (id, created_at, title, description, themes, cards, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        template.id,
        template.createdAt,
        template.title,
        template.description,
        template.themes,
        template.cards,
        template.body,
      )
  }

  async listTemplates(): Promise<TemplateSummaryRecord[]> {
    return this.db
      .prepare<[], TemplateRow>(
        'SELECT id, created_at, title, description, themes, cards FROM templates ORDER BY created_at, id',
      )
      .all()
      .map(templateSummary)
  }

  async getTemplate(id: string): Promise<StoredTemplate | undefined> {
    const row = this.db
      .prepare<[string], TemplateRow & { body: string }>('SELECT * FROM templates WHERE id = ?')
      .get(id)
    return row ? { ...templateSummary(row), body: row.body } : undefined
  }

  async deleteTemplate(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM templates WHERE id = ?').run(id).changes > 0
  }

  /** Runs a PRAGMA on every connection of the store (e.g. `query_only`); the main one's result. */
  async pragma(statement: string): Promise<unknown> {
    await this.appender?.pragma(statement)
    return this.db.pragma(statement)
  }

  async deleteBoard(id: string): Promise<boolean> {
    const existed = eraseBoard(this.db, id)
    this.activity.forget(id)
    if (this.dataDir) {
      if (existed) noteDeleted(this.dataDir, id)
      eraseFromBackups(this.dataDir, id)
    }
    return existed
  }

  async lastActivity(id: string): Promise<number | undefined> {
    const row = this.db
      .prepare<[string], { active_at: number | null; created_at: number }>(
        'SELECT active_at, created_at FROM boards WHERE id = ?',
      )
      .get(id)
    return row ? (row.active_at ?? row.created_at) : undefined
  }

  async touchBoard(id: string, at: number): Promise<void> {
    this.stmt.touch.run(at, id)
  }

  async inactiveBoards(before: number, limit: number): Promise<InactiveBoard[]> {
    return this.db
      .prepare<[number, number], { id: string; created_at: number; active_at: number }>(
        `SELECT id, created_at, COALESCE(active_at, created_at) AS active_at FROM boards
         WHERE COALESCE(active_at, created_at) < ? ORDER BY 3, id LIMIT ?`,
      )
      .all(before, limit)
      .map((row) => ({ id: row.id, createdAt: row.created_at, activeAt: row.active_at }))
  }

  async close(): Promise<void> {
    await this.appender?.close()
    if (this.db.open) this.db.close()
  }
}

/** Brings the file to the newest schema; returns the version it had. */
function migrate(db: Database.Database): number {
  const version = db.pragma('user_version', { simple: true }) as number
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v] as string)
      db.pragma(`user_version = ${v + 1}`)
    })()
  }
  return version
}

function bytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}

/**
 * The database holds every board's content and token hashes: only the server's own user may read it.
 * Its folder is made 0700 and the file 0600 before SQLite opens it (SQLite gives its -wal and -shm
 * files the database file's mode); files of an older install are narrowed to 0600 too.
 */
function makePrivate(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 })
  fs.closeSync(fs.openSync(file, 'a', 0o600))
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    try {
      fs.chmodSync(file + suffix, 0o600)
    } catch {
      // not there: nothing to narrow
    }
  }
}
