import type { Page } from 'playwright-core'

/** The marks `markFirstFace` takes in the page, in ms after navigation. */
export type FaceMarks = Partial<Record<'react' | 'frame' | 'faceInDom' | 'facePainted', number>>

/**
 * An init script for a board page: the page marks, in `window.__marks`, when React first put something
 * in it, the board's frame, the first card face in the DOM, and the first task after the animation frame
 * that painted it (that frame runs its callbacks, paints, then the next task runs) — and says so on the
 * console (`facePainted` below awaits it). A Playwright locator would first evaluate Playwright's own
 * script in the page (tens of ms of its main thread in the middle of the load) and add a round trip.
 * (No functions declared inside: tsx names them with a helper the page does not have.)
 */
export function markFirstFace(): void {
  const w = window as unknown as { __marks?: Record<string, number> }
  w.__marks ??= {}
  const marks = w.__marks
  new MutationObserver(() => {
    if (document.querySelector('#root > *')) marks.react ??= performance.now()
    if (document.querySelector('.board')) marks.frame ??= performance.now()
    if (!marks.faceInDom && document.querySelector('article.card-face')) {
      marks.faceInDom = performance.now()
      requestAnimationFrame(() =>
        setTimeout(() => {
          marks.facePainted = performance.now()
          console.debug('bench: face painted')
        }, 0),
      )
    }
  }).observe(document, { childList: true, subtree: true })
}

/** Resolves once the page (with `markFirstFace`) has painted its first face; ask before navigating. */
export function facePainted(page: Page): Promise<unknown> {
  return page.waitForEvent('console', {
    predicate: (message) => message.text() === 'bench: face painted',
    timeout: 120_000,
  })
}
