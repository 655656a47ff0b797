/**
 * Readable text on a theme's colour. A board's themes carry their own colours (the template's), and an
 * organisation's THEME_CSS may change the page's ink and background: text drawn on a theme colour (or a
 * tint of it) therefore takes its colour from the theme colour alone, computed here, never from a design
 * token — so it keeps a contrast of at least 4.5:1 (WCAG 1.4.3) whatever the theme CSS says.
 */

/** The ink the views use on light colours (Werkbord's own text colour). */
export const DARK_INK = '#1d2330'
export const LIGHT_INK = '#ffffff'
/** WCAG 2.1 AA for normal text. */
export const MIN_TEXT_CONTRAST = 4.5

type Rgb = readonly [number, number, number]

/** `#rgb` or `#rrggbb` (what templates allow) as 0–255 channels; null for anything else. */
export function parseHex(color: string): Rgb | null {
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(color)
  if (short)
    return [hex(`${short[1]}${short[1]}`), hex(`${short[2]}${short[2]}`), hex(`${short[3]}${short[3]}`)]
  const long = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color)
  return long ? [hex(long[1] as string), hex(long[2] as string), hex(long[3] as string)] : null
}

function hex(pair: string | undefined): number {
  return Number.parseInt(pair ?? '0', 16)
}

function toHex(rgb: Rgb): string {
  return `#${rgb.map((channel) => Math.round(channel).toString(16).padStart(2, '0')).join('')}`
}

/** Relative luminance (WCAG 2.1). */
export function luminance(color: string): number {
  const rgb = parseHex(color)
  if (!rgb) throw new Error(`Not a colour: ${color}`)
  const [r, g, b] = rgb.map((channel) => {
    const c = channel / 255
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }) as [number, number, number]
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

/** Contrast ratio between two colours (1–21). */
export function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (light + 0.05) / (dark + 0.05)
}

/** `share` of `color` over `base` (as CSS color-mix in sRGB): the tints behind the views' text. */
export function tint(color: string, share: number, base = '#ffffff'): string {
  const over = parseHex(color)
  const under = parseHex(base)
  if (!over || !under) return base
  const channel = (i: 0 | 1 | 2) => over[i] * share + under[i] * (1 - share)
  return toHex([channel(0), channel(1), channel(2)])
}

/** The text colour for a background: our dark ink or white, whichever contrasts more (black if neither reaches 4.5:1). */
export function inkOn(background: string): string {
  if (!parseHex(background)) return DARK_INK
  const dark = contrast(DARK_INK, background)
  const light = contrast(LIGHT_INK, background)
  const best = dark >= light ? DARK_INK : LIGHT_INK
  return Math.max(dark, light) >= MIN_TEXT_CONTRAST ? best : '#000000'
}

/** Background and text for a cell tinted in a theme colour: inline CSS custom properties for the views. */
export function themeTint(
  color: string | undefined,
  share: number,
): { '--theme-tint': string; '--theme-ink': string } | null {
  if (!color || !parseHex(color)) return null
  const background = tint(color, share)
  return { '--theme-tint': background, '--theme-ink': inkOn(background) }
}
