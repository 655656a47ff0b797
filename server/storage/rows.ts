import type { BoardRecord, InvitationRecord, TemplateSummaryRecord } from './store.js'

/**
 * Rows of the tables both stores share, and the records they become. SQLite reads INTEGER columns as
 * numbers, PostgreSQL reads BIGINT as text: times are either, and go through `Number`.
 */
type Millis = number | string

export interface BoardRow {
  id: string
  created_at: Millis
  facilitator_hash: string
  participant_hash: string
  observer_hash: string
}

export function boardOf(row: BoardRow): BoardRecord {
  return {
    id: row.id,
    createdAt: Number(row.created_at),
    tokenHashes: {
      facilitator: row.facilitator_hash,
      participant: row.participant_hash,
      observer: row.observer_hash,
    },
  }
}

export interface InvitationRow {
  id: string
  name: string
  organisation: string | null
  token_hash: string
  created_at: Millis
  joined_at: Millis | null
}

export function invitationOf(row: InvitationRow): InvitationRecord {
  return {
    id: row.id,
    name: row.name,
    organisation: row.organisation,
    tokenHash: row.token_hash,
    createdAt: Number(row.created_at),
    joinedAt: row.joined_at === null ? null : Number(row.joined_at),
  }
}

export interface TemplateRow {
  id: string
  created_at: Millis
  title: string
  description: string
  themes: number
  cards: number
}

export function templateSummary(row: TemplateRow): TemplateSummaryRecord {
  return {
    id: row.id,
    createdAt: Number(row.created_at),
    title: row.title,
    description: row.description,
    themes: row.themes,
    cards: row.cards,
  }
}
