import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  contrast,
  DARK_INK,
  inkOn,
  LIGHT_INK,
  MIN_TEXT_CONTRAST,
  parseHex,
  themeTint,
  tint,
} from '../../model/views/contrast.js'
import { projectRoot } from '../../server/paths.js'

/** Every theme colour of the built-in templates. */
function templateColours(): string[] {
  const dir = path.join(projectRoot, 'templates')
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.json') && file !== 'template.schema.json')
    .flatMap((file) => {
      const template = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as {
        themes?: { color: string }[]
      }
      return (template.themes ?? []).map((theme) => theme.color)
    })
}

describe('text on theme colours (model/views/contrast.ts)', () => {
  it('[TC1] contrast and tints follow WCAG 2.1 and CSS color-mix', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5)
    expect(contrast('#fff', '#ffffff')).toBe(1)
    expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2)
    expect(tint('#2b5fa8', 0.22)).toBe('#d0dcec')
    expect(tint('#000000', 0.5)).toBe('#808080')
    expect(parseHex('red')).toBeNull()
    expect(parseHex('#12345')).toBeNull()
    expect(themeTint('url(x)', 0.2)).toBeNull()
    expect(themeTint(undefined, 0.2)).toBeNull()
  })

  it('[TC2] the ink chosen for any colour reaches 4.5:1, dark on light and white on dark', () => {
    expect(inkOn('#ffff00')).toBe(DARK_INK)
    expect(inkOn('#000080')).toBe(LIGHT_INK)
    // Every grey and a sweep of hues: whichever ink is picked is readable.
    for (let v = 0; v <= 255; v += 5) {
      const grey = `#${v.toString(16).padStart(2, '0').repeat(3)}`
      expect(contrast(inkOn(grey), grey), grey).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST)
    }
    for (let i = 0; i < 4096; i += 7) {
      const colour = `#${i.toString(16).padStart(3, '0')}`
      expect(contrast(inkOn(colour), colour), colour).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST)
    }
  })

  it('[TC3] every built-in template theme colour, as the matrix and planning tint it, carries readable text', () => {
    const colours = templateColours()
    expect(colours.length).toBeGreaterThan(10)
    for (const colour of colours) {
      for (const share of [0.14, 0.22, 1]) {
        const cell = themeTint(colour, share)
        expect(cell, colour).not.toBeNull()
        const { '--theme-tint': background, '--theme-ink': ink } = cell as NonNullable<typeof cell>
        expect(contrast(ink, background), `${colour} at ${share}`).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST)
      }
    }
  })
})
