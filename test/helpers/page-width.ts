import type { Page } from 'playwright-core'

/**
 * How far the page is wider than the viewport (≤ 0: nothing to scroll sideways, WCAG 1.4.10). When it
 * is wider, the first elements that stick out are printed, so a failure says which.
 */
export async function sidewaysOverflow(page: Page): Promise<number> {
  const { overflow, culprits } = await page.evaluate(() => ({
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    culprits: [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
      .slice(0, 8)
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}.${el.className} (${Math.round(el.getBoundingClientRect().right)})`,
      ),
  }))
  if (overflow > 0) console.log('[overflow]', overflow, culprits)
  return overflow
}
