import fs from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import { expect } from 'vitest'

const require = createRequire(import.meta.url)
const source = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  /** CSS selectors of the offending nodes (first few). */
  targets: string[]
}

/**
 * Injects axe-core into the page and checks it against WCAG 2.0/2.1 A and AA (EN 301 549). Returns
 * the violations, each with the selectors of (up to five of) its nodes, so a failure says where.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(source)
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: typeof import('axe-core') }).axe
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    })
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((node) => node.target.join(' ')),
    }))
  })
}

/** Fails the test with the violations axe-core finds on the page, printed with where they are. */
export async function expectNoAxeViolations(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page)
  if (violations.length > 0) console.log(`[axe] ${where}:`, JSON.stringify(violations, null, 1))
  expect(violations, where).toEqual([])
}
