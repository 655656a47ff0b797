import pg from 'pg'
import { boardTablesFirst } from './board-tables.js'
import { LOCK_COMPACT, LOCK_VOTE, migrate } from './postgres-schema.js'
import {
  type BoardRow,
  boardOf,
  type InvitationRow,
  invitationOf,
  type TemplateRow,
  templateSummary,
} from './rows.js'
import type { SequencedBoard, SequencedStore } from './sequenced.js'
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

export interface PostgresOptions {
  /** Connections this instance keeps at most (node-postgres pool size). */
  poolSize?: number
  /** Called with errors of idle connections (e.g. the server restarted); they are replaced on next use. */
  onIdleError?: (error: Error) => void
}

/**
 * The clustered store: PostgreSQL, shared by every instance. A promise resolves once PostgreSQL
 * committed (durable by its own settings: synchronous_commit on, the default). Updates are numbered per
 * board in commit order (see SequencedStore), appended in one statement per batch (werkbord_append);
 * reads of a board run in one REPEATABLE READ transaction so a compaction in between cannot hide updates.
 */
export class PostgresStore implements BoardStore, SequencedStore {
  private constructor(readonly pool: pg.Pool) {}

  /** Connects, brings the schema up to date (versioned migrations) and returns the store. */
  static async open(connectionString: string, options: PostgresOptions = {}): Promise<PostgresStore> {
    const pool = new pg.Pool({
      connectionString,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30_000,
    })
    // Without a listener, an idle connection that breaks (PostgreSQL restarted) would crash the process.
    pool.on('error', (error) => options.onIdleError?.(error))
    try {
      await migrate(pool)
    } catch (error) {
      await pool.end()
      throw error
    }
    return new PostgresStore(pool)
  }

  async createBoard(board: BoardRecord, initialUpdate: Uint8Array): Promise<void> {
    await this.transaction(async (client) => {
      const h = board.tokenHashes
      await client.query(
        `INSERT INTO boards (id, created_at, facilitator_hash, participant_hash, observer_hash, last_seq, active_at)
         VALUES ($1, $2, $3, $4, $5, 1, $2)`,
        [board.id, board.createdAt, h.facilitator, h.participant, h.observer],
      )
      await client.query('INSERT INTO updates (board_id, seq, data) VALUES ($1, 1, $2)', [
        board.id,
        Buffer.from(initialUpdate),
      ])
    })
  }

  /**
   * Adds a board moved from another store: its content as one update, and its votes; atomically. Its
   * retention period starts at the move.
   */
  async importBoard(
    board: BoardRecord,
    content: Uint8Array,
    votes: readonly { voter: string; cardId: string; count: number }[],
  ): Promise<void> {
    await this.transaction(async (client) => {
      const h = board.tokenHashes
      await client.query(
        `INSERT INTO boards (id, created_at, facilitator_hash, participant_hash, observer_hash, last_seq, active_at)
         VALUES ($1, $2, $3, $4, $5, 1, (extract(epoch FROM now()) * 1000)::BIGINT)`,
        [board.id, board.createdAt, h.facilitator, h.participant, h.observer],
      )
      await client.query('INSERT INTO updates (board_id, seq, data) VALUES ($1, 1, $2)', [
        board.id,
        Buffer.from(content),
      ])
      if (votes.length === 0) return
      await client.query(
        `INSERT INTO votes (board_id, voter, card_id, count)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::int[])`,
        [board.id, votes.map((v) => v.voter), votes.map((v) => v.cardId), votes.map((v) => v.count)],
      )
    })
  }

  async getBoard(id: string): Promise<BoardRecord | undefined> {
    const { rows } = await this.pool.query<BoardRow>(
      'SELECT id, created_at, facilitator_hash, participant_hash, observer_hash FROM boards WHERE id = $1',
      [id],
    )
    const row = rows[0]
    if (!row) return undefined
    return boardOf(row)
  }

  async setTokenHash(id: string, role: keyof BoardRecord['tokenHashes'], hash: string): Promise<void> {
    const column = {
      facilitator: 'facilitator_hash',
      participant: 'participant_hash',
      observer: 'observer_hash',
    }[role]
    await this.pool.query(`UPDATE boards SET ${column} = $1 WHERE id = $2`, [hash, id])
  }

  async load(boardId: string): Promise<StoredBoard> {
    const { snapshot, updates } = await this.readSince(boardId, 0)
    return { snapshot: snapshot?.data ?? null, updates }
  }

  async readSince(boardId: string, afterSeq: number): Promise<SequencedBoard> {
    return this.transaction(async (client) => {
      const head = await client.query<{ last_seq: string }>('SELECT last_seq FROM boards WHERE id = $1', [
        boardId,
      ])
      const snap = await client.query<{ seq: string; data: Buffer }>(
        'SELECT seq, data FROM snapshots WHERE board_id = $1',
        [boardId],
      )
      const snapshotRow = snap.rows[0]
      const snapshotSeq = snapshotRow ? Number(snapshotRow.seq) : 0
      // Updates up to the snapshot's number were compacted into it: a reader behind it needs the snapshot.
      const needsSnapshot = snapshotRow !== undefined && afterSeq < snapshotSeq
      const from = needsSnapshot ? snapshotSeq : afterSeq
      const { rows } = await client.query<{ seq: string; data: Buffer }>(
        'SELECT seq, data FROM updates WHERE board_id = $1 AND seq > $2 ORDER BY seq',
        [boardId, from],
      )
      return {
        snapshot: needsSnapshot && snapshotRow ? { seq: snapshotSeq, data: bytes(snapshotRow.data) } : null,
        updates: rows.map((row) => ({ seq: Number(row.seq), update: bytes(row.data) })),
        head: Number(head.rows[0]?.last_seq ?? 0),
      }
    }, 'REPEATABLE READ READ ONLY')
  }

  async heads(boardIds: readonly string[]): Promise<Map<string, number>> {
    if (boardIds.length === 0) return new Map()
    const { rows } = await this.pool.query<{ id: string; last_seq: string }>(
      'SELECT id, last_seq FROM boards WHERE id = ANY($1)',
      [boardIds],
    )
    return new Map(rows.map((row) => [row.id, Number(row.last_seq)]))
  }

  async append(entries: readonly AppendEntry[]): Promise<number[]> {
    if (entries.length === 0) return []
    const { rows } = await this.pool.query<{ seqs: string[] }>('SELECT werkbord_append($1, $2) AS seqs', [
      entries.map((entry) => entry.boardId),
      entries.map((entry) =>
        Buffer.from(entry.update.buffer, entry.update.byteOffset, entry.update.byteLength),
      ),
    ])
    return (rows[0]?.seqs ?? []).map(Number)
  }

  /**
   * One compactor at a time per board: the compaction holds a transaction-level advisory lock and is
   * skipped when another instance holds it (that one compacts). A snapshot never replaces a newer one,
   * so a late compaction from a lagging instance cannot drop updates its snapshot lacks. An instance
   * that dies mid-compaction leaves an uncommitted transaction: PostgreSQL rolls it back, nothing is lost.
   */
  async compact(boardId: string, snapshot: Uint8Array, upToSeq: number): Promise<void> {
    await this.transaction(async (client) => {
      const lock = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked',
        [LOCK_COMPACT, boardId],
      )
      if (!lock.rows[0]?.locked) return
      const written = await client.query(
        `INSERT INTO snapshots (board_id, seq, data) VALUES ($1, $2, $3)
         ON CONFLICT (board_id) DO UPDATE SET seq = excluded.seq, data = excluded.data
         WHERE snapshots.seq < excluded.seq`,
        [boardId, upToSeq, Buffer.from(snapshot)],
      )
      if (written.rowCount === 0) return
      await client.query('DELETE FROM updates WHERE board_id = $1 AND seq <= $2', [boardId, upToSeq])
    })
  }

  async castVote(
    boardId: string,
    voter: string,
    cardId: string,
    delta: 1 | -1,
    limits: VoteLimits,
  ): Promise<VoteResult> {
    // One transaction holding a lock per participant: votes through any instance are counted one at a time.
    return this.transaction(async (client): Promise<VoteResult> => {
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_VOTE, `${boardId}/${voter}`])
      const votes = await readVotes(client, boardId, voter)
      const onCard = votes[cardId] ?? 0
      const used = Object.values(votes).reduce((sum, n) => sum + n, 0)
      if (delta === -1 && onCard === 0) return { ok: false, reason: 'none', votes }
      if (delta === 1 && used >= limits.budget) return { ok: false, reason: 'budget', votes }
      if (delta === 1 && onCard >= limits.perCard) return { ok: false, reason: 'per-card', votes }
      const next = onCard + delta
      if (next === 0) {
        await client.query('DELETE FROM votes WHERE board_id = $1 AND voter = $2 AND card_id = $3', [
          boardId,
          voter,
          cardId,
        ])
      } else {
        await client.query(
          `INSERT INTO votes (board_id, voter, card_id, count) VALUES ($1, $2, $3, $4)
           ON CONFLICT (board_id, voter, card_id) DO UPDATE SET count = excluded.count`,
          [boardId, voter, cardId, next],
        )
      }
      return { ok: true, votes: await readVotes(client, boardId, voter) }
    })
  }

  async votesOf(boardId: string, voter: string): Promise<Record<string, number>> {
    return readVotes(this.pool, boardId, voter)
  }

  async moveVotes(boardId: string, fromCard: string, toCard: string): Promise<void> {
    await this.transaction(async (client) => {
      await client.query(
        `INSERT INTO votes (board_id, voter, card_id, count)
           SELECT board_id, voter, $1, count FROM votes WHERE board_id = $2 AND card_id = $3
         ON CONFLICT (board_id, voter, card_id) DO UPDATE SET count = votes.count + excluded.count`,
        [toCard, boardId, fromCard],
      )
      await client.query('DELETE FROM votes WHERE board_id = $1 AND card_id = $2', [boardId, fromCard])
    })
  }

  async voteTotals(boardId: string): Promise<Map<string, number>> {
    const { rows } = await this.pool.query<{ card_id: string; total: string }>(
      'SELECT card_id, SUM(count) AS total FROM votes WHERE board_id = $1 GROUP BY card_id',
      [boardId],
    )
    return new Map(rows.map((row) => [row.card_id, Number(row.total)]))
  }

  async voterCount(boardId: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(
      'SELECT COUNT(DISTINCT voter) AS n FROM votes WHERE board_id = $1',
      [boardId],
    )
    return Number(rows[0]?.n ?? 0)
  }

  async addInvitations(boardId: string, invitations: readonly InvitationRecord[]): Promise<void> {
    if (invitations.length === 0) return
    // One statement: all or none. WITH ORDINALITY keeps the given order in `position`.
    await this.pool.query(
      `INSERT INTO invitations (board_id, id, name, organisation, token_hash, created_at, joined_at)
       SELECT $1, id, name, organisation, token_hash, created_at, joined_at
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[])
         WITH ORDINALITY AS t(id, name, organisation, token_hash, created_at, joined_at, n)
       ORDER BY n`,
      [
        boardId,
        invitations.map((i) => i.id),
        invitations.map((i) => i.name),
        invitations.map((i) => i.organisation),
        invitations.map((i) => i.tokenHash),
        invitations.map((i) => i.createdAt),
        invitations.map((i) => i.joinedAt),
      ],
    )
  }

  async invitations(boardId: string): Promise<InvitationRecord[]> {
    const { rows } = await this.pool.query<InvitationRow>(
      `SELECT id, name, organisation, token_hash, created_at, joined_at FROM invitations
       WHERE board_id = $1 ORDER BY position`,
      [boardId],
    )
    return rows.map(invitationOf)
  }

  async invitationByTokenHash(boardId: string, tokenHash: string): Promise<InvitationRecord | undefined> {
    const { rows } = await this.pool.query<InvitationRow>(
      `SELECT id, name, organisation, token_hash, created_at, joined_at FROM invitations
       WHERE board_id = $1 AND token_hash = $2`,
      [boardId, tokenHash],
    )
    return rows[0] ? invitationOf(rows[0]) : undefined
  }

  async markInvitationJoined(boardId: string, invitationId: string, at: number): Promise<void> {
    await this.pool.query(
      'UPDATE invitations SET joined_at = $1 WHERE board_id = $2 AND id = $3 AND joined_at IS NULL',
      [at, boardId, invitationId],
    )
  }

  async revokeInvitation(boardId: string, invitationId: string): Promise<boolean> {
    const result = await this.pool.query('DELETE FROM invitations WHERE board_id = $1 AND id = $2', [
      boardId,
      invitationId,
    ])
    return (result.rowCount ?? 0) > 0
  }

  async sharedLinkEnabled(boardId: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ off: boolean }>(
      'SELECT shared_link_off AS off FROM invitation_settings WHERE board_id = $1',
      [boardId],
    )
    return !rows[0]?.off
  }

  async setSharedLinkEnabled(boardId: string, enabled: boolean): Promise<void> {
    await this.pool.query(
      `INSERT INTO invitation_settings (board_id, shared_link_off) VALUES ($1, $2)
       ON CONFLICT (board_id) DO UPDATE SET shared_link_off = excluded.shared_link_off`,
      [boardId, !enabled],
    )
  }

  async deleteBoard(id: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ table_name: string }>(
      `SELECT DISTINCT table_name FROM information_schema.columns
       WHERE column_name = 'board_id' AND table_schema = current_schema()`,
    )
    const tables = boardTablesFirst(rows.map((row) => row.table_name))
    const existed = await this.transaction(async (client) => {
      // A table still referred to by another one's rows of the board is retried after the others.
      let left = tables
      while (left.length > 0) {
        const retry: string[] = []
        for (const table of left) {
          await client.query('SAVEPOINT board_row')
          try {
            await client.query(`DELETE FROM "${table}" WHERE board_id = $1`, [id])
            await client.query('RELEASE SAVEPOINT board_row')
          } catch (error) {
            if ((error as { code?: string }).code !== '23503') throw error
            await client.query('ROLLBACK TO SAVEPOINT board_row')
            retry.push(table)
          }
        }
        if (retry.length === left.length) throw new Error(`cannot empty ${retry.join(', ')} of board ${id}`)
        left = retry
      }
      const deleted = await client.query('DELETE FROM boards WHERE id = $1', [id])
      return (deleted.rowCount ?? 0) > 0
    })
    // Dead rows stay in the table files until VACUUM reclaims them (docs/privacy.md says what remains).
    for (const table of [...tables, 'boards']) {
      await this.pool.query(`VACUUM "${table}"`).catch(() => {})
    }
    return existed
  }

  async lastActivity(id: string): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ active_at: string | null; created_at: string }>(
      'SELECT active_at, created_at FROM boards WHERE id = $1',
      [id],
    )
    const row = rows[0]
    return row ? Number(row.active_at ?? row.created_at) : undefined
  }

  async touchBoard(id: string, at: number): Promise<void> {
    await this.pool.query(
      'UPDATE boards SET active_at = GREATEST(COALESCE(active_at, 0), $1) WHERE id = $2',
      [at, id],
    )
  }

  async inactiveBoards(before: number, limit: number): Promise<InactiveBoard[]> {
    const { rows } = await this.pool.query<{ id: string; created_at: string; active_at: string }>(
      `SELECT id, created_at, COALESCE(active_at, created_at) AS active_at FROM boards
       WHERE COALESCE(active_at, created_at) < $1 ORDER BY 3, id LIMIT $2`,
      [before, limit],
    )
    return rows.map((row) => ({
      id: row.id,
      createdAt: Number(row.created_at),
      activeAt: Number(row.active_at),
    }))
  }

  async saveTemplate(template: StoredTemplate): Promise<void> {
    await this.pool.query(
      `INSERT INTO templates (id, created_at, title, description, themes, cards, body)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        template.id,
        template.createdAt,
        template.title,
        template.description,
        template.themes,
        template.cards,
        template.body,
      ],
    )
  }

  async listTemplates(): Promise<TemplateSummaryRecord[]> {
    const { rows } = await this.pool.query<TemplateRow>(
      'SELECT id, created_at, title, description, themes, cards FROM templates ORDER BY created_at, id',
    )
    return rows.map(templateSummary)
  }

  async getTemplate(id: string): Promise<StoredTemplate | undefined> {
    const { rows } = await this.pool.query<TemplateRow & { body: string }>(
      'SELECT id, created_at, title, description, themes, cards, body FROM templates WHERE id = $1',
      [id],
    )
    const row = rows[0]
    return row ? { ...templateSummary(row), body: row.body } : undefined
  }

  async deleteTemplate(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM templates WHERE id = $1', [id])
    return (rowCount ?? 0) > 0
  }

  /** Whether PostgreSQL answers now. */
  async ping(): Promise<boolean> {
    try {
      await this.pool.query('SELECT 1')
      return true
    } catch {
      return false
    }
  }

  async close(): Promise<void> {
    await this.pool.end()
  }

  private async transaction<T>(fn: (client: pg.PoolClient) => Promise<T>, mode = ''): Promise<T> {
    const client = await this.pool.connect()
    let broken = false
    try {
      await client.query(mode ? `BEGIN ISOLATION LEVEL ${mode}` : 'BEGIN')
      const result = await fn(client)
      await client.query('COMMIT')
      return result
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true
      })
      throw error
    } finally {
      client.release(broken)
    }
  }
}

async function readVotes(
  db: pg.Pool | pg.PoolClient,
  boardId: string,
  voter: string,
): Promise<Record<string, number>> {
  const { rows } = await db.query<{ card_id: string; count: number }>(
    'SELECT card_id, count FROM votes WHERE board_id = $1 AND voter = $2',
    [boardId, voter],
  )
  return Object.fromEntries(rows.map((row) => [row.card_id, row.count]))
}

function bytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}
