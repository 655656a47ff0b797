import type * as Y from 'yjs'
import { metaOf } from './layout.js'

/**
 * The facilitator's timer, in server time: it runs until `endsAt` (server clock, ms) or is paused with
 * `remainingMs` left. Every browser computes the remaining time from the server's clock (see the
 * client's clock offset), so everyone sees the same, whatever their own clock says.
 */
export interface TimerState {
  durationMs: number
  endsAt: number | null
  remainingMs: number | null
}

const META_TIMER = 'timer'

export function readTimer(doc: Y.Doc): TimerState | null {
  const stored = metaOf(doc).get(META_TIMER) as Partial<TimerState> | null | undefined
  if (!stored || typeof stored.durationMs !== 'number') return null
  return {
    durationMs: stored.durationMs,
    endsAt: typeof stored.endsAt === 'number' ? stored.endsAt : null,
    remainingMs: typeof stored.remainingMs === 'number' ? stored.remainingMs : null,
  }
}

/** Milliseconds left at server time `now` (0 when over, the full duration before it starts). */
export function remainingAt(timer: TimerState, now: number): number {
  if (timer.endsAt !== null) return Math.max(0, timer.endsAt - now)
  return Math.max(0, timer.remainingMs ?? timer.durationMs)
}

export function isRunning(timer: TimerState | null): boolean {
  return timer?.endsAt != null
}

export function startTimer(doc: Y.Doc, durationMs: number, serverNow: number, origin?: unknown): void {
  write(doc, { durationMs, endsAt: serverNow + durationMs, remainingMs: null }, origin)
}

export function pauseTimer(doc: Y.Doc, serverNow: number, origin?: unknown): void {
  const timer = readTimer(doc)
  if (!timer || timer.endsAt === null) return
  write(doc, { ...timer, endsAt: null, remainingMs: remainingAt(timer, serverNow) }, origin)
}

export function resumeTimer(doc: Y.Doc, serverNow: number, origin?: unknown): void {
  const timer = readTimer(doc)
  if (!timer || timer.endsAt !== null) return
  write(doc, { ...timer, endsAt: serverNow + remainingAt(timer, serverNow), remainingMs: null }, origin)
}

export function resetTimer(doc: Y.Doc, origin?: unknown): void {
  doc.transact(() => metaOf(doc).delete(META_TIMER), origin)
}

function write(doc: Y.Doc, timer: TimerState, origin: unknown): void {
  doc.transact(() => metaOf(doc).set(META_TIMER, timer), origin)
}

const META_SPOTLIGHT = 'spotlight'

/** The card the facilitator puts in the spotlight for everyone (null: none). */
export function readSpotlight(doc: Y.Doc): string | null {
  const value = metaOf(doc).get(META_SPOTLIGHT)
  return typeof value === 'string' ? value : null
}

export function setSpotlight(doc: Y.Doc, cardId: string | null, origin?: unknown): void {
  doc.transact(() => metaOf(doc).set(META_SPOTLIGHT, cardId), origin)
}
