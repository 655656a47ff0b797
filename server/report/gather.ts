import type * as Y from 'yjs'
import { readMeta } from '../../model/board.js'
import { type ExportDocument, exportBoard } from '../../model/export.js'
import { listLinks } from '../../model/links.js'
import { type Phase, readPhaseLog } from '../../model/phases.js'
import { listCards } from '../../model/read.js'
import type { BoardTemplate } from '../../model/template.js'
import { type Matrix, matrixOf } from '../../model/views/matrix.js'
import { type Planning, planningOf } from '../../model/views/planning.js'
import { rankingOf, type VoteRanking } from '../../model/views/ranking.js'
import { cardTitle } from '../../model/views/title.js'
import { readVoterCount, readVoting, voteTotals } from '../../model/voting.js'
import { xmlSafe } from '../export/safe-text.js'

export const PHASE_LABELS: Record<Phase, string> = {
  verzamelen: 'Verzamelen',
  stemmen: 'Stemmen',
  selecteren: 'Selecteren',
  afgerond: 'Afgerond',
}

/** One stretch of the session in a phase: from `start` until `end` (null: still in it). */
export interface PhaseSpan {
  phase: Phase
  label: string
  start: number
  end: number | null
}

export interface ReportLink {
  kind: 'koppelkans' | 'dilemma'
  from: { number: number; title: string }
  to: { number: number; title: string }
  note: string
}

/**
 * Everything the session report shows, gathered from the board in one pass: a plain value (the
 * renderers in docx.ts and html.ts only lay it out). Texts are already made XML-safe.
 */
export interface ReportData {
  title: string
  template: BoardTemplate
  /** When the report was made, and the day of the session (its first phase, else the board's creation). */
  madeAt: number
  sessionDay: number | null
  phases: PhaseSpan[]
  /** Participants who placed at least one vote; live cards on the board; cards shortlisted. */
  voters: number
  cardCount: number
  /** The shortlist as the export has it (the annex table per theme). */
  shortlist: ExportDocument
  /** Per criterion: how many shortlisted cards meet it. */
  criteria: { id: string; label: string; met: number }[]
  /** The theme matrix of every live card (longlist and shortlist), the planning of the shortlist. */
  matrix: Matrix
  planning: Planning
  /** The vote ranking of every live card (empty until the votes were revealed). */
  ranking: VoteRanking
  links: ReportLink[]
}

/** The last lane of the template: the shortlist ('shortlist' when there is such a lane). */
function shortlistLane(template: BoardTemplate): string {
  return (
    template.lanes.find((lane) => lane.id === 'shortlist')?.id ?? template.lanes.at(-1)?.id ?? 'shortlist'
  )
}

export function gatherReport(doc: Y.Doc, madeAt = Date.now()): ReportData {
  const meta = readMeta(doc)
  const template = meta.template
  const cards = listCards(doc)
  const shortlist = exportBoard(doc, { lane: 'shortlist', exportedAt: new Date(madeAt) })
  const phases = phaseSpans(readPhaseLog(doc), meta.createdAt)
  const byId = new Map(cards.map((card) => [card.id, card]))
  const links: ReportLink[] = listLinks(doc, new Set(byId.keys())).map((link) => {
    const from = byId.get(link.from)
    const to = byId.get(link.to)
    return {
      kind: link.kind,
      from: { number: from?.number ?? 0, title: from ? cardTitle(from) : '' },
      to: { number: to?.number ?? 0, title: to ? cardTitle(to) : '' },
      note: link.note,
    }
  })
  const lane = shortlistLane(template)
  const data: ReportData = {
    title: meta.title,
    template,
    madeAt,
    sessionDay: phases[0]?.start ?? meta.createdAt,
    phases,
    voters: readVoterCount(doc),
    cardCount: cards.length,
    shortlist,
    criteria: (template.criteria ?? []).map((criterion) => ({
      id: criterion.id,
      label: criterion.label,
      met: shortlist.cards.filter((card) => card.criteria?.[criterion.id]).length,
    })),
    matrix: matrixOf(template, cards, { sort: 'number' }),
    planning: planningOf(template, cards, { lane }),
    ranking: rankingOf(template, cards, voteTotals(doc), readVoterCount(doc), readVoting(doc).revealed),
    links,
  }
  // A participant's text may hold characters XML forbids: Word would refuse the whole file.
  return xmlSafe(data)
}

/**
 * The phases as stretches of time, from the phase log: each change starts a stretch that ends at the
 * next. The session starts collecting when the board is made, unless the log says otherwise.
 */
export function phaseSpans(
  log: readonly { phase: Phase; at: number }[],
  createdAt: number | null,
): PhaseSpan[] {
  const changes = [...log]
  if (changes[0]?.phase !== 'verzamelen' && createdAt !== null && createdAt <= (changes[0]?.at ?? Infinity)) {
    changes.unshift({ phase: 'verzamelen', at: createdAt })
  }
  return changes.map((change, i) => ({
    phase: change.phase,
    label: PHASE_LABELS[change.phase],
    start: change.at,
    end: changes[i + 1]?.at ?? null,
  }))
}
