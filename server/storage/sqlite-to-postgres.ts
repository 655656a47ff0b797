import { isDeepStrictEqual } from 'node:util'
import Database from 'better-sqlite3'
import * as Y from 'yjs'
import { exportBoard } from '../../model/export.js'
import type { PostgresStore } from './postgres-store.js'
import { type BoardRow, type InvitationRow, invitationOf } from './rows.js'
import type { InvitationRecord } from './store.js'

export interface MigrationReport {
  boards: number
  /** Boards that were in PostgreSQL already, with the same content (a migration run again). */
  alreadyThere: number
  votes: number
  /** Templates made on the instance that were copied (issue 12). */
  templates: number
}

const EXPORTED_AT = new Date(0)

/**
 * Copies every board of an embedded deployment (its SQLite file) into PostgreSQL: token hashes,
 * content (snapshot and log merged into one update), votes, personal invitations and the shared-link switch. Each board is one transaction. Every board
 * is exported (JSON, all lanes) before and after, from SQLite and from PostgreSQL, and the two must be
 * equal, as must the vote totals; otherwise it stops with an error naming the board. A board that is in
 * PostgreSQL already is not copied again: it must export the same (so the migration can be re-run).
 * The SQLite file is opened read-only; stop the embedded server first so nothing changes meanwhile.
 */
export async function migrateSqliteToPostgres(
  sqliteFile: string,
  target: PostgresStore,
  progress: (line: string) => void = () => {},
): Promise<MigrationReport> {
  const db = new Database(sqliteFile, { readonly: true, fileMustExist: true })
  const report: MigrationReport = { boards: 0, alreadyThere: 0, votes: 0, templates: 0 }
  try {
    const boards = db
      .prepare<[], BoardRow>(
        'SELECT id, created_at, facilitator_hash, participant_hash, observer_hash FROM boards ORDER BY id',
      )
      .all()
    const snapshotOf = db.prepare<[string], { data: Buffer }>('SELECT data FROM snapshots WHERE board_id = ?')
    const updatesOf = db.prepare<[string], { data: Buffer }>(
      'SELECT data FROM updates WHERE board_id = ? ORDER BY seq',
    )
    const votesOf = db.prepare<[string], { voter: string; card_id: string; count: number }>(
      'SELECT voter, card_id, count FROM votes WHERE board_id = ?',
    )
    const invitationsOf = invitationReader(db)
    for (const board of boards) {
      const doc = new Y.Doc()
      const snapshot = snapshotOf.get(board.id)
      if (snapshot) Y.applyUpdate(doc, snapshot.data)
      for (const row of updatesOf.all(board.id)) Y.applyUpdate(doc, row.data)
      const before = exportBoard(doc, { lane: 'all', exportedAt: EXPORTED_AT })
      const votes = votesOf.all(board.id)
      const existing = await target.getBoard(board.id)
      if (existing) {
        await verify(target, board.id, before, votes)
        report.alreadyThere++
        progress(`${board.id}: already in PostgreSQL, equal`)
        continue
      }
      await target.importBoard(
        {
          id: board.id,
          createdAt: Number(board.created_at),
          tokenHashes: {
            facilitator: board.facilitator_hash,
            participant: board.participant_hash,
            observer: board.observer_hash,
          },
        },
        Y.encodeStateAsUpdate(doc),
        votes.map((v) => ({ voter: v.voter, cardId: v.card_id, count: v.count })),
      )
      doc.destroy()
      // Personal invitations (token hashes) and the shared-link switch, when the file has them.
      const invitations = invitationsOf(board.id)
      if (invitations) {
        await target.addInvitations(board.id, invitations.people)
        if (!invitations.sharedLink) await target.setSharedLinkEnabled(board.id, false)
      }
      await verify(target, board.id, before, votes)
      report.boards++
      report.votes += votes.length
      progress(`${board.id}: ${before.cards.length} cards, ${votes.length} vote rows, export equal`)
    }
    report.templates = await copyTemplates(db, target, progress)
  } finally {
    db.close()
  }
  return report
}

/**
 * The templates made on the instance (a SQLite file older than them has none). One already in
 * PostgreSQL must be the same, byte for byte.
 */
async function copyTemplates(
  db: Database.Database,
  target: PostgresStore,
  progress: (line: string) => void,
): Promise<number> {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'templates'").get()
  if (!table) return 0
  const rows = db
    .prepare<[], StoredTemplateRow>(
      'SELECT id, created_at, title, description, themes, cards, body FROM templates ORDER BY created_at, id',
    )
    .all()
  let copied = 0
  for (const row of rows) {
    const existing = await target.getTemplate(row.id)
    if (existing) {
      if (existing.body !== row.body) {
        throw new Error(`template ${row.id}: PostgreSQL holds another template under this id`)
      }
      progress(`template ${row.id}: already in PostgreSQL, equal`)
      continue
    }
    const { created_at, ...rest } = row
    await target.saveTemplate({ ...rest, createdAt: created_at })
    copied++
    progress(`template ${row.id}: copied`)
  }
  return copied
}

interface StoredTemplateRow {
  id: string
  created_at: number
  title: string
  description: string
  themes: number
  cards: number
  body: string
}

async function verify(
  target: PostgresStore,
  boardId: string,
  before: ReturnType<typeof exportBoard>,
  votes: { voter: string; card_id: string; count: number }[],
): Promise<void> {
  const { snapshot, updates } = await target.load(boardId)
  const doc = new Y.Doc()
  if (snapshot) Y.applyUpdate(doc, snapshot)
  for (const { update } of updates) Y.applyUpdate(doc, update)
  const after = exportBoard(doc, { lane: 'all', exportedAt: EXPORTED_AT })
  doc.destroy()
  if (!isDeepStrictEqual(before, after)) {
    throw new Error(`board ${boardId}: the export from PostgreSQL differs from the one from SQLite`)
  }
  const totals = new Map<string, number>()
  for (const v of votes) totals.set(v.card_id, (totals.get(v.card_id) ?? 0) + v.count)
  if (!isDeepStrictEqual(totals, await target.voteTotals(boardId))) {
    throw new Error(`board ${boardId}: the vote totals in PostgreSQL differ from those in SQLite`)
  }
}

/** Reads a board's invitations from a file whose schema has them (see sqlite-store.ts); else null. */
function invitationReader(
  db: Database.Database,
): (boardId: string) => { people: InvitationRecord[]; sharedLink: boolean } | null {
  const has = db
    .prepare<[], { n: number }>(
      "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('invitations', 'invitation_settings')",
    )
    .get()
  if (has?.n !== 2) return () => null
  const people = db.prepare<[string], InvitationRow>(
    'SELECT * FROM invitations WHERE board_id = ? ORDER BY rowid',
  )
  const setting = db.prepare<[string], { off: number }>(
    'SELECT shared_link_off AS off FROM invitation_settings WHERE board_id = ?',
  )
  return (boardId) => ({
    people: people.all(boardId).map(invitationOf),
    sharedLink: !setting.get(boardId)?.off,
  })
}
