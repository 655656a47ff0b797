import type { Theme } from '../template.js'

/**
 * Building blocks of the views' SVG pictures (vote chart, theme matrix, planning): pure string
 * builders, the same in the browser (downloads, the on-screen chart) and in Node (the session report).
 * Every text goes through `xmlText`, so any card text gives well-formed XML. Fonts: the system's sans
 * serif, as the app itself uses; nothing is loaded from anywhere.
 */

export const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
export const INK = '#1a1a1a'
export const MUTED = '#4a5260'
export const RULE = '#c9ced6'
export const STRIPE = '#f3f4f6'
/** Bars and marks of a card without a theme. */
export const NO_THEME = '#5b6470'

/** Texts of a picture: the caller's (client/texts.ts in the browser), in the board's language. */
export interface SvgFrame {
  /** The board's title. */
  title: string
  /** What the picture shows and when, e.g. "Matrix · 6 december 2026". */
  subtitle: string
}

// Controls other than tab, line feed and carriage return, and U+FFFE/U+FFFF: not allowed in XML 1.0.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching the forbidden controls is the point
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g

/** Characters XML 1.0 forbids (controls, lone surrogates, U+FFFE/U+FFFF) are dropped; the rest escaped. */
export function xmlText(value: string): string {
  return value
    .replace(XML_FORBIDDEN, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

/** A colour as given by a template, or `fallback` when it is not a plain hex colour. */
export function safeColor(color: string | undefined, fallback = NO_THEME): string {
  return color && /^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/.test(color) ? color : fallback
}

/** Width units (em) per character, looked up once per character. */
const charUnits = new Map<string, number>()

function unitsOf(ch: string): number {
  let units = charUnits.get(ch)
  if (units === undefined) {
    if (/[iljtf.,:;'’|!() ]/.test(ch)) units = 0.34
    else if (/[mwMW@%]/.test(ch)) units = 0.95
    else if (/[A-Z0-9#]/.test(ch)) units = 0.72
    else units = 0.62
    if (charUnits.size < 4096) charUnits.set(ch, units)
  }
  return units
}

/** An estimate of a text's width in px (no font metrics in Node): generous, so text rarely overflows. */
export function textWidth(text: string, size: number, bold = false): number {
  let units = 0
  for (const ch of text) units += unitsOf(ch)
  return units * size * (bold ? 1.08 : 1)
}

/** The text cut to fit `width` px, with an ellipsis when cut. */
export function fitText(text: string, width: number, size: number, bold = false): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (textWidth(flat, size, bold) <= width) return flat
  const room = width - textWidth('…', size, bold)
  const scale = size * (bold ? 1.08 : 1)
  let used = 0
  let end = 0
  const chars = [...flat]
  while (end < chars.length) {
    const next = used + unitsOf(chars[end] as string) * scale
    if (next > room) break
    used = next
    end++
  }
  return `${chars.slice(0, end).join('').trimEnd()}…`
}

/** The text in lines of at most `width` px (at most `maxLines`, the last one cut with an ellipsis). */
export function wrapText(text: string, width: number, size: number, maxLines: number): string[] {
  const lines: string[] = []
  for (const paragraph of text.split('\n')) {
    let line = ''
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const next = line ? `${line} ${word}` : word
      if (textWidth(next, size) <= width || !line) line = next
      else {
        lines.push(line)
        line = word
      }
    }
    if (line) lines.push(line)
  }
  if (lines.length <= maxLines) return lines.map((l) => fitText(l, width, size))
  const kept = lines.slice(0, maxLines)
  kept[maxLines - 1] = fitText(`${kept[maxLines - 1]} ${lines[maxLines]}`, width, size)
  if (!kept[maxLines - 1]?.endsWith('…')) kept[maxLines - 1] = `${kept[maxLines - 1]}…`
  return kept.map((l, i) => (i < maxLines - 1 ? fitText(l, width, size) : l))
}

/** A `<text>` element (content escaped). */
export function text(
  x: number,
  y: number,
  content: string,
  attrs: { size?: number; bold?: boolean; fill?: string; anchor?: 'start' | 'middle' | 'end' } = {},
): string {
  const size = attrs.size ?? 14
  const parts = [`x="${round(x)}"`, `y="${round(y)}"`, `font-size="${size}"`]
  if (attrs.bold) parts.push('font-weight="700"')
  if (attrs.fill && attrs.fill !== INK) parts.push(`fill="${attrs.fill}"`)
  if (attrs.anchor && attrs.anchor !== 'start') parts.push(`text-anchor="${attrs.anchor}"`)
  return `<text ${parts.join(' ')}>${xmlText(content)}</text>`
}

/** Several lines of text from `y` (the first baseline) down, `lineHeight` apart. */
export function lines(
  x: number,
  y: number,
  content: readonly string[],
  size: number,
  lineHeight: number,
): string {
  return content.map((line, i) => text(x, y + i * lineHeight, line, { size })).join('')
}

export function rect(x: number, y: number, w: number, h: number, fill: string, extra = ''): string {
  return `<rect x="${round(x)}" y="${round(y)}" width="${round(Math.max(0, w))}" height="${round(Math.max(0, h))}" fill="${fill}"${extra ? ` ${extra}` : ''}/>`
}

export function line(x1: number, y1: number, x2: number, y2: number, stroke = RULE): string {
  return `<line x1="${round(x1)}" y1="${round(y1)}" x2="${round(x2)}" y2="${round(y2)}" stroke="${stroke}"/>`
}

export function round(n: number): number {
  return Math.round(n * 10) / 10
}

export const HEADER_HEIGHT = 76

/** The picture's heading: the board's title and the subtitle (what and when). */
export function header(frame: SvgFrame, width: number): string {
  return (
    text(24, 36, fitText(frame.title, width - 48, 22, true), { size: 22, bold: true }) +
    text(24, 60, fitText(frame.subtitle, width - 48, 14), { size: 14, fill: MUTED })
  )
}

/** A legend of the themes (swatch and name), wrapped over lines; returns its markup and height. */
export function legend(
  themes: readonly Theme[],
  x: number,
  y: number,
  width: number,
): { svg: string; height: number } {
  let cx = x
  let cy = y
  const parts: string[] = []
  for (const theme of themes) {
    const w = 22 + textWidth(theme.label, 13) + 18
    if (cx + w > x + width && cx > x) {
      cx = x
      cy += 22
    }
    parts.push(rect(cx, cy - 11, 14, 14, safeColor(theme.color), `stroke="${INK}" stroke-width="0.5"`))
    parts.push(text(cx + 20, cy + 1, theme.label, { size: 13 }))
    cx += w
  }
  return { svg: parts.join(''), height: themes.length ? cy - y + 22 : 0 }
}

/** The complete SVG document: white background, the heading, the body; `title`/`desc` for readers. */
export function svgDocument(
  width: number,
  height: number,
  frame: SvgFrame,
  body: string,
  description: string,
): string {
  const w = Math.ceil(width)
  const h = Math.ceil(height)
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" font-family="${FONT}" fill="${INK}">` +
    `<title>${xmlText(`${frame.title} — ${frame.subtitle}`)}</title>` +
    `<desc>${xmlText(description)}</desc>` +
    rect(0, 0, w, h, '#ffffff') +
    header(frame, w) +
    body +
    `</svg>`
  )
}
