/**
 * Runs `task` once the browser is idle (requestIdleCallback), and at the latest after `timeoutMs`.
 * Safari has no requestIdleCallback: there a moment later. Returns a function that cancels it.
 */
export function whenIdle(task: () => void, timeoutMs: number): () => void {
  if ('requestIdleCallback' in window) {
    const handle = requestIdleCallback(task, { timeout: timeoutMs })
    return () => cancelIdleCallback(handle)
  }
  const timer = setTimeout(task, Math.min(500, timeoutMs))
  return () => clearTimeout(timer)
}
