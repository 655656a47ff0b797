/**
 * Text made safe for the file formats it is written into. A participant's text is hostile: it must not
 * run as a formula in a spreadsheet, make Word or Excel refuse the whole file, or break a Markdown table.
 */

/**
 * The text without the characters XML 1.0 does not allow: C0 controls other than tab, line feed and
 * carriage return; lone surrogates; U+FFFE and U+FFFF. Word and Excel refuse a whole file holding one.
 */
export function xmlText(text: string): string {
  let out = ''
  let from = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    let allowed: boolean
    if (code < 0x20) allowed = code === 0x09 || code === 0x0a || code === 0x0d
    else if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1)
      allowed = next >= 0xdc00 && next <= 0xdfff
      if (allowed) {
        i++
        continue
      }
    } else allowed = !(code >= 0xdc00 && code <= 0xdfff) && code !== 0xfffe && code !== 0xffff
    if (allowed) continue
    out += text.slice(from, i)
    from = i + 1
  }
  return from === 0 ? text : out + text.slice(from)
}

/** A copy of a value (an export document) with every text in it made XML-safe: one pass for DOCX and XLSX. */
export function xmlSafe<T>(value: T): T {
  if (typeof value === 'string') return xmlText(value) as T
  if (Array.isArray(value)) return value.map((item) => xmlSafe(item)) as T
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) copy[xmlText(key)] = xmlSafe(item)
    return copy as T
  }
  return value
}

/** Excel's limit: a cell holds at most this many characters (longer text is cut or refused). */
export const MAX_CELL_CHARS = 32_767
export const CUT_MARK = ' … (ingekort)'

/** Text that fits in one spreadsheet cell: cut at the limit, visibly marked. `reserve`: room kept for a prefix. */
export function fitCell(text: string, reserve = 0): string {
  const room = MAX_CELL_CHARS - reserve
  if (text.length <= room) return text
  let cut = room - CUT_MARK.length
  // Never split a surrogate pair.
  if (/[\ud800-\udbff]/.test(text.charAt(cut - 1))) cut--
  return text.slice(0, cut) + CUT_MARK
}

/**
 * Text a spreadsheet would run as a formula (or DDE command) when it starts a cell: `=`, `+`, `-`, `@`,
 * a tab or a carriage return. CSV gets a leading `'`, XLSX the Text number format (see csv.ts, xlsx.ts).
 */
export const FORMULA_START = /^[=+\-@\t\r]/

export function looksLikeFormula(text: string): boolean {
  return FORMULA_START.test(text)
}
