import type * as Y from 'yjs'
import { metaOf } from './layout.js'

/**
 * The werksessie's phases and what each role may do in them. The same rules drive the interface
 * (what is offered) and the server (what is accepted): see server/rules/rules.ts.
 */
export const PHASES = ['verzamelen', 'stemmen', 'selecteren', 'afgerond'] as const
export type Phase = (typeof PHASES)[number]

export type Role = 'facilitator' | 'participant' | 'observer'

/** Kinds of change a document update can make, as the server classifies them. */
export type Action =
  | 'card.create'
  | 'card.content'
  | 'card.criteria'
  | 'card.order'
  | 'card.lane'
  | 'card.pos'
  | 'card.delete'
  | 'card.remove'
  | 'card.touch'
  /** Who moved a card and when, its number and creation time: written by the server only. */
  | 'card.attribution'
  | 'canvas'
  | 'meta'
  | 'votes'
  | 'other'

export interface Facilitation {
  phase: Phase
  /** Who moves cards between lanes in the Selecteren phase. */
  selectionBy: 'facilitator' | 'everyone'
}

export const DEFAULT_FACILITATION: Facilitation = { phase: 'verzamelen', selectionBy: 'facilitator' }

const PARTICIPANT: Record<Phase, readonly Action[]> = {
  verzamelen: [
    'card.create',
    'card.content',
    'card.criteria',
    'card.order',
    'card.pos',
    'card.delete',
    'card.touch',
    'canvas',
  ],
  stemmen: ['card.pos', 'canvas'],
  selecteren: ['card.criteria', 'card.pos', 'card.touch', 'canvas'],
  afgerond: [],
}

/** Whether `role` may make a change of kind `action` under `facilitation`. */
export function mayDo(role: Role, action: Action, facilitation: Facilitation): boolean {
  if (role === 'facilitator') return true
  if (role === 'observer') return false
  if (facilitation.phase === 'selecteren' && facilitation.selectionBy === 'everyone') {
    if (action === 'card.lane' || action === 'card.order') return true
  }
  return PARTICIPANT[facilitation.phase].includes(action)
}

const META_PHASE = 'phase'
const META_SELECTION_BY = 'selectionBy'
const META_PHASE_LOG = 'phaseLog'
const MAX_PHASE_LOG = 200

/** One phase change: the phase the session went into, and when (milliseconds since 1970). */
export interface PhaseChange {
  phase: Phase
  at: number
}

/** The phase changes noted so far, oldest first; malformed entries are left out. */
export function readPhaseLog(doc: Y.Doc): PhaseChange[] {
  const stored = metaOf(doc).get(META_PHASE_LOG)
  if (!Array.isArray(stored)) return []
  return stored.filter(
    (entry): entry is PhaseChange =>
      entry !== null &&
      typeof entry === 'object' &&
      (PHASES as readonly unknown[]).includes((entry as PhaseChange).phase) &&
      Number.isFinite((entry as PhaseChange).at),
  )
}

export function readFacilitation(doc: Y.Doc): Facilitation {
  const meta = metaOf(doc)
  const phase = meta.get(META_PHASE)
  const selectionBy = meta.get(META_SELECTION_BY)
  return {
    phase: (PHASES as readonly unknown[]).includes(phase) ? (phase as Phase) : DEFAULT_FACILITATION.phase,
    selectionBy: selectionBy === 'everyone' ? 'everyone' : 'facilitator',
  }
}

/**
 * Facilitator operations: set the phase, and who selects. A phase change is also noted, with its time
 * (`now`: the server's clock as the client knows it), in `meta.phaseLog`, for the session report.
 */
export function setPhase(doc: Y.Doc, phase: Phase, origin?: unknown, now = Date.now()): void {
  doc.transact(() => {
    const meta = metaOf(doc)
    meta.set(META_PHASE, phase)
    const log = readPhaseLog(doc)
    if (log.at(-1)?.phase !== phase) {
      meta.set(META_PHASE_LOG, [...log, { phase, at: now }].slice(-MAX_PHASE_LOG))
    }
  }, origin)
}

export function setSelectionBy(doc: Y.Doc, selectionBy: Facilitation['selectionBy'], origin?: unknown): void {
  doc.transact(() => metaOf(doc).set(META_SELECTION_BY, selectionBy), origin)
}
