import type pg from 'pg'

/**
 * The PostgreSQL schema, as numbered migrations: each runs once, in order; the pending ones run in one
 * transaction, recorded in `werkbord_schema`. Instances that start at the same time take an advisory lock, so
 * exactly one of them runs each migration. Append only: never change a migration that has shipped.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE boards (
     id TEXT PRIMARY KEY,
     created_at BIGINT NOT NULL,
     facilitator_hash TEXT NOT NULL,
     participant_hash TEXT NOT NULL,
     observer_hash TEXT NOT NULL,
     -- The sequence number of the board's last update: updates are numbered 1, 2, 3, … per board, in
     -- commit order (an append holds this row's lock until it commits).
     last_seq BIGINT NOT NULL DEFAULT 0
   );
   CREATE TABLE snapshots (
     board_id TEXT PRIMARY KEY REFERENCES boards(id),
     -- The snapshot holds every update with a sequence number up to this one.
     seq BIGINT NOT NULL,
     data BYTEA NOT NULL
   );
   CREATE TABLE updates (
     board_id TEXT NOT NULL REFERENCES boards(id),
     seq BIGINT NOT NULL,
     data BYTEA NOT NULL,
     PRIMARY KEY (board_id, seq)
   );
   CREATE TABLE votes (
     board_id TEXT NOT NULL REFERENCES boards(id),
     voter TEXT NOT NULL,
     card_id TEXT NOT NULL,
     count INTEGER NOT NULL CHECK (count > 0),
     PRIMARY KEY (board_id, voter, card_id)
   );
   -- Appends a batch of updates (of one or more boards) in one statement: numbers each board's updates
   -- after its last_seq, locking the boards in id order (so two instances' batches cannot deadlock),
   -- and fails whole when a board does not exist.
   CREATE FUNCTION werkbord_append(v_boards TEXT[], v_data BYTEA[]) RETURNS BIGINT[]
   LANGUAGE plpgsql AS $$
   DECLARE
     v_board TEXT;
     v_count INT;
     v_last BIGINT;
     v_next BIGINT;
     v_seqs BIGINT[] := array_fill(0::BIGINT, ARRAY[cardinality(v_boards)]);
   BEGIN
     FOR v_board, v_count IN
       SELECT b, count(*) FROM unnest(v_boards) AS b GROUP BY b ORDER BY b
     LOOP
       UPDATE boards SET last_seq = last_seq + v_count WHERE id = v_board RETURNING last_seq INTO v_last;
       IF NOT FOUND THEN
         RAISE EXCEPTION 'no such board: %', v_board USING ERRCODE = 'foreign_key_violation';
       END IF;
       v_next := v_last - v_count + 1;
       FOR i IN 1 .. cardinality(v_boards) LOOP
         IF v_boards[i] = v_board THEN
           v_seqs[i] := v_next;
           v_next := v_next + 1;
         END IF;
       END LOOP;
     END LOOP;
     INSERT INTO updates (board_id, seq, data)
       SELECT v_boards[i], v_seqs[i], v_data[i] FROM generate_subscripts(v_boards, 1) AS i;
     RETURN v_seqs;
   END
   $$;`,
  // Personal invitations (server/access/invitations.ts): one row per invitee, only the token's hash.
  `CREATE TABLE invitations (
     board_id TEXT NOT NULL REFERENCES boards(id),
     id TEXT NOT NULL,
     position BIGSERIAL,
     name TEXT NOT NULL,
     organisation TEXT,
     token_hash TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     joined_at BIGINT,
     PRIMARY KEY (board_id, id)
   );
   CREATE UNIQUE INDEX invitations_by_token ON invitations (board_id, token_hash);
   CREATE TABLE invitation_settings (
     board_id TEXT PRIMARY KEY REFERENCES boards(id),
     shared_link_off BOOLEAN NOT NULL DEFAULT FALSE
   );`,
  // board-life (retention): when each board was last active; the append stamps it (the database's
  // clock, ms). Boards of an older install start their retention period at the upgrade.
  `ALTER TABLE boards ADD COLUMN active_at BIGINT;
   UPDATE boards SET active_at = (extract(epoch FROM now()) * 1000)::BIGINT;
   CREATE INDEX boards_by_activity ON boards (active_at);
   CREATE OR REPLACE FUNCTION werkbord_append(v_boards TEXT[], v_data BYTEA[]) RETURNS BIGINT[]
   LANGUAGE plpgsql AS $$
   DECLARE
     v_board TEXT;
     v_count INT;
     v_last BIGINT;
     v_next BIGINT;
     v_now BIGINT := (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT;
     v_seqs BIGINT[] := array_fill(0::BIGINT, ARRAY[cardinality(v_boards)]);
   BEGIN
     FOR v_board, v_count IN
       SELECT b, count(*) FROM unnest(v_boards) AS b GROUP BY b ORDER BY b
     LOOP
       UPDATE boards SET last_seq = last_seq + v_count, active_at = GREATEST(active_at, v_now)
         WHERE id = v_board RETURNING last_seq INTO v_last;
       IF NOT FOUND THEN
         RAISE EXCEPTION 'no such board: %', v_board USING ERRCODE = 'foreign_key_violation';
       END IF;
       v_next := v_last - v_count + 1;
       FOR i IN 1 .. cardinality(v_boards) LOOP
         IF v_boards[i] = v_board THEN
           v_seqs[i] := v_next;
           v_next := v_next + 1;
         END IF;
       END LOOP;
     END LOOP;
     INSERT INTO updates (board_id, seq, data)
       SELECT v_boards[i], v_seqs[i], v_data[i] FROM generate_subscripts(v_boards, 1) AS i;
     RETURN v_seqs;
   END
   $$;`,
  // Templates made on this instance (issue 12): a summary for the start page's list, and the body (JSON).
  `CREATE TABLE templates (
     id TEXT PRIMARY KEY,
     created_at BIGINT NOT NULL,
     title TEXT NOT NULL,
     description TEXT NOT NULL,
     themes INTEGER NOT NULL,
     cards INTEGER NOT NULL,
     body TEXT NOT NULL
   );`,
]

/** The newest schema version: the number of migrations. */
export const SCHEMA_VERSION = MIGRATIONS.length

/** Lock key (two 32-bit ints) of the migration lock; compaction and votes use other first keys. */
export const LOCK_MIGRATE = 0x5765_6b00
export const LOCK_COMPACT = 0x5765_6b01
export const LOCK_VOTE = 0x5765_6b02

/** Brings the database to the newest schema. Safe to run from several instances at once. */
export async function migrate(pool: pg.Pool): Promise<number> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    await client.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCK_MIGRATE])
    await client.query('CREATE TABLE IF NOT EXISTS werkbord_schema (version INTEGER NOT NULL)')
    const { rows } = await client.query<{ version: number }>('SELECT version FROM werkbord_schema')
    let version = rows[0]?.version ?? 0
    if (rows.length === 0) await client.query('INSERT INTO werkbord_schema (version) VALUES (0)')
    if (version > MIGRATIONS.length) {
      throw new Error(
        `the database has schema version ${version}, newer than this Werkbord knows (${MIGRATIONS.length})`,
      )
    }
    for (; version < MIGRATIONS.length; version++) {
      await client.query(MIGRATIONS[version] as string)
      await client.query('UPDATE werkbord_schema SET version = $1', [version + 1])
    }
    await client.query('COMMIT')
    return version
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}
