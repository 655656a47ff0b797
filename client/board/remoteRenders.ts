/**
 * Renders for other people's changes, gathered: while five people type (25 updates a second), a card
 * face would otherwise render, and the browser lay out and paint the page, 25 times a second — most
 * of a phone's main thread. A change that arrives after a quiet moment is shown in the next task; the
 * changes that follow within `WINDOW_MS` of the last render are shown together, once, at its end. So
 * the page renders at most about five times a second for others' edits, however many arrive, and
 * always shows the last of them. This user's own changes never wait (their callers notify at once).
 *
 * Only the moment of rendering waits: what renders is read from the doc then, as always.
 */
export const WINDOW_MS = 200

const pending = new Set<() => void>()
let timer: ReturnType<typeof setTimeout> | null = null
let last = Number.NEGATIVE_INFINITY

function flush(): void {
  timer = null
  last = performance.now()
  const due = [...pending]
  pending.clear()
  // One task: React renders every face that changed in one pass, and the browser paints once.
  for (const notify of due) notify()
}

/** Calls `notify` with the next gathered render of remote changes (once, however often it is asked). */
export function afterRemoteChange(notify: () => void): void {
  pending.add(notify)
  if (timer === null) timer = setTimeout(flush, Math.max(0, last + WINDOW_MS - performance.now()))
}

/** Forgets a `notify` that is no longer wanted (its component unmounted). */
export function cancelRemoteChange(notify: () => void): void {
  pending.delete(notify)
}
