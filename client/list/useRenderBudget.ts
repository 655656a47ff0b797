import { startTransition, useEffect, useState } from 'react'

/**
 * How many cards a lane renders now. A long board (hundreds of cards) first renders `first` cards per
 * lane — a screen and more — so the first faces show at once; then `step` more after each paint, as a
 * transition (interruptible: a remote edit or a keystroke goes first), until every card is in the page.
 * After that every card is rendered, as on a small board: find-in-page, screen readers and keyboard
 * moves see the whole lane (off-screen faces are laid out lazily: `content-visibility` in list.css).
 */
export function useRenderBudget(largestLane: number, first = 30, step = 150): number {
  const [limit, setLimit] = useState(first)
  useEffect(() => {
    if (limit >= largestLane) return
    const timer = setTimeout(() => startTransition(() => setLimit((current) => current + step)), 0)
    return () => clearTimeout(timer)
  }, [limit, largestLane, step])
  return limit
}
