import type { Page } from 'playwright-core'

/**
 * The words of card titles (faces in `scope`: the list view, the canvas) that are broken across two
 * lines although they would fit on one line of the card: a title must break between words, not inside
 * them ("Energietra / nsitie" is not read at a glance). A word wider than the whole card may break.
 * Works on scaled faces too (the canvas's zoom): widths are compared on screen.
 */
export async function wordsBrokenInside(page: Page, scope = ''): Promise<string[]> {
  return page.locator(`${scope} article.card-face .card-face-text`.trim()).evaluateAll((els) => {
    const broken: string[] = []
    for (const el of els) {
      const box = el.getBoundingClientRect()
      const card = el.closest('article') as HTMLElement
      const style = getComputedStyle(card)
      const scale = card.offsetWidth > 0 ? card.getBoundingClientRect().width / card.offsetWidth : 1
      const room =
        (card.clientWidth - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight)) *
        scale
      const text = el.firstChild
      if (!text || text.nodeType !== Node.TEXT_NODE) continue
      const value = text.textContent ?? ''
      for (const match of value.matchAll(/\S+/g)) {
        const range = document.createRange()
        range.setStart(text, match.index)
        range.setEnd(text, match.index + match[0].length)
        const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.top < box.bottom)
        const lines = new Set(rects.map((r) => Math.round(r.top)))
        const width = rects.reduce((sum, r) => sum + r.width, 0)
        if (lines.size > 1 && width <= room) broken.push(match[0])
      }
    }
    return broken
  })
}
