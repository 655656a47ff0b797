import type { ExportDocument } from '../../model/export.js'
import { byTheme, columns, dutchDate } from './cells.js'

/** Markdown for the programme document: the board's title and date, then a table per theme. */
export function toMarkdown(document: ExportDocument): string {
  const cols = columns(document, { timestamps: false }).filter((col) => col.header !== 'Lijst')
  const lines = [
    `# ${escapeText(document.board.title)}`,
    '',
    `Geëxporteerd op ${dutchDate(document.board.exportedAt)}.`,
    '',
  ]
  for (const group of byTheme(document)) {
    lines.push(`## ${escapeText(group.label)}`, '')
    lines.push(`| ${cols.map((col) => escapeCell(col.header)).join(' | ')} |`)
    lines.push(`| ${cols.map(() => '---').join(' | ')} |`)
    for (const card of group.cards)
      lines.push(`| ${cols.map((col) => escapeCell(col.cell(card))).join(' | ')} |`)
    lines.push('')
  }
  if (document.cards.length === 0) lines.push('_Geen kaarten._', '')
  if ((document.links ?? []).length > 0) {
    lines.push('## Koppelingen', '')
    for (const link of document.links) {
      const what = link.kind === 'koppelkans' ? 'versterkt' : 'botst met'
      lines.push(
        `- Actie ${link.from} ${what} actie ${link.to}${link.note ? `: ${escapeText(link.note)}` : ''}`,
      )
    }
    lines.push('')
  }
  return lines.join('\n')
}

/** Markdown ends a line at LF, CRLF and a lone CR: each would end the table row (and could start a heading). */
const LINE_BREAK = /\r\n|\r|\n/g

/** A table cell: one line (breaks as `<br>`), pipes escaped, so it can neither end its row nor its table. */
function escapeCell(text: string): string {
  return escapeInline(text).replace(/\|/g, '\\|').replace(LINE_BREAK, '<br>')
}

/** A heading or list item: one line, so the text cannot start a heading or block of its own. */
function escapeText(text: string): string {
  return escapeInline(text).replace(LINE_BREAK, ' ')
}

function escapeInline(text: string): string {
  return text.replace(/([\\`*_[\]<>#])/g, '\\$1')
}
