/**
 * How much room a text needs in a table column, in characters: for sizing spreadsheet columns and
 * Word table columns by their content, and for giving wrapped spreadsheet rows the height their text
 * needs. Excel and LibreOffice do not grow a row for wrapped text when they open a file (they keep the
 * stored height), so the height is computed here, from the same greedy word wrap they do.
 */

/** The longest line of a text (its explicit line breaks kept), in characters. */
export function longestLine(text: string): number {
  let longest = 0
  for (const line of text.split(/\r\n|\r|\n/)) longest = Math.max(longest, [...line].length)
  return longest
}

/** The longest word of a text: a column narrower than this breaks a word in the middle. */
export function longestWord(text: string): number {
  let longest = 0
  for (const word of text.split(/\s+/)) longest = Math.max(longest, [...word].length)
  return longest
}

/**
 * Lines a text takes when wrapped at `width` characters: greedy word wrap per explicit line, a word
 * longer than the line broken over several lines. An empty text takes one line.
 */
export function wrappedLines(text: string, width: number): number {
  const room = Math.max(1, Math.floor(width))
  let lines = 0
  for (const paragraph of text.split(/\r\n|\r|\n/)) {
    let used = 0
    let count = 1
    for (const word of paragraph.split(/[ \t]+/).filter((w) => w !== '')) {
      const length = [...word].length
      if (used === 0) {
        count += Math.ceil(length / room) - 1
        used = length % room || (length > 0 ? room : 0)
      } else if (used + 1 + length <= room) {
        used += 1 + length
      } else {
        count += Math.ceil(length / room)
        used = length % room || room
      }
    }
    lines += count
  }
  return Math.max(1, lines)
}

/**
 * A column's width in characters from its header and cells: wide enough for its longest line, but at
 * most `max` (longer text wraps), and at least the header's longest word, the cells' longest word
 * (up to `max`) and `min`.
 */
export function fittedWidth(header: string, cells: readonly string[], min: number, max: number): number {
  let line = 0
  let word = longestWord(header)
  for (const cell of cells) {
    line = Math.max(line, longestLine(cell))
    word = Math.max(word, longestWord(cell))
  }
  return Math.max(min, Math.min(max, Math.max(line, word)), Math.min(word, max))
}
