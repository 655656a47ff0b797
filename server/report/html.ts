import type { ExportedCard } from '../../model/export.js'
import { annexColumns, annexWidths } from '../export/annex.js'
import { byTheme } from '../export/cells.js'
import { rankingChart } from './chart.js'
import type { ReportData } from './gather.js'
import { reportSections, type SimpleTable } from './sections.js'

/** Text as HTML: every participant's text is escaped, nothing of it is markup. */
function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** Line breaks kept. */
function cellText(text: string): string {
  return esc(text).replace(/\r\n|\r|\n/g, '<br>')
}

/**
 * Printing: A4 landscape; a table's header repeats on every page (thead) and no row is split over
 * two pages; long words wrap instead of widening a table past the page. The screen shows the same,
 * with a hint how to save it as PDF.
 */
const STYLE = `
@page { size: A4 landscape; margin: 12mm 12mm 14mm; }
* { box-sizing: border-box; }
html { font-family: Calibri, Carlito, 'Segoe UI', Arial, sans-serif; font-size: 10pt; color: #1a1a1a; background: #fff; }
body { margin: 0 auto; max-width: 273mm; padding: 8mm 0; }
h1 { font-size: 22pt; font-weight: 400; margin: 0 0 4pt; }
h2 { font-size: 15pt; color: #1f3864; margin: 18pt 0 6pt; break-after: avoid; }
h3 { font-size: 12pt; color: #2f5496; margin: 12pt 0 4pt; break-after: avoid; }
p { margin: 0 0 4pt; }
.intro { font-style: italic; }
.print-hint { border: 1px solid #c9ced6; background: #f3f4f6; padding: 6pt 8pt; margin-bottom: 10pt; font-style: normal; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 4pt 0 10pt; }
th, td { border: 1px solid #8c96a3; padding: 3pt 4pt; vertical-align: top; text-align: left; overflow-wrap: anywhere; word-break: normal; hyphens: auto; }
th { background: #d9e2f3; font-weight: 700; }
th.c, td.c { text-align: center; }
td.c { font-weight: 700; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
.label { font-style: italic; }
figure { margin: 6pt 0 10pt; break-inside: avoid; }
figure svg { display: block; width: 100%; height: auto; max-width: 100%; }
.new-page { break-before: page; }
@media print { body { padding: 0; max-width: none; } .print-hint { display: none; } }
`

/**
 * The session report as one self-contained HTML page (inline CSS and SVG, nothing loaded from
 * anywhere): the same sections as the Word report; the browser's print dialog ("Opslaan als PDF")
 * gives a clean A4 landscape PDF.
 */
export function reportHtml(data: ReportData): string {
  const { intro, parts } = reportSections(data)
  const body: string[] = [
    `<h1>${esc(data.title)}</h1>`,
    ...intro.map((line) => `<p class="intro">${esc(line)}</p>`),
    '<p class="print-hint">Afdrukken of bewaren als PDF: Ctrl+P (Mac: ⌘P), kies “Opslaan als PDF”, liggend A4.</p>',
  ]
  for (const section of parts) {
    body.push(
      `<section id="${section.id}"${section.newPage ? ' class="new-page"' : ''}><h2>${esc(section.heading)}</h2>`,
    )
    for (const line of section.lines ?? []) body.push(`<p>${esc(line)}</p>`)
    if (section.id === 'shortlist') {
      const columns = annexColumns(data.shortlist)
      for (const group of byTheme(data.shortlist)) {
        body.push(`<h3>${esc(group.label)}</h3>`)
        body.push(annexTableHtml(data, columns, group.cards))
      }
    }
    if (section.id === 'ranking' && data.ranking.cards.some((card) => card.votes > 0)) {
      const svg = rankingChart(data).replace(/^<\?xml[^>]*>\s*/, '')
      body.push(`<figure>${svg}</figure>`)
    }
    if (section.table) body.push(tableHtml(section.table))
    body.push('</section>')
  }
  return `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(data.title)} – rapport</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body.join('\n')}
</main>
</body>
</html>
`
}

function tableHtml(table: SimpleTable): string {
  const total = table.columns.reduce((sum, column) => sum + column.weight, 0)
  const cols = table.columns
    .map((column) => `<col style="width:${((100 * column.weight) / total).toFixed(2)}%">`)
    .join('')
  const head = table.columns
    .map((column) => `<th scope="col"${column.center ? ' class="c"' : ''}>${esc(column.header)}</th>`)
    .join('')
  const rows = table.rows
    .map(
      (row) =>
        `<tr>${table.columns
          .map((column, i) => `<td${column.center ? ' class="c"' : ''}>${cellText(row[i] ?? '')}</td>`)
          .join('')}</tr>`,
    )
    .join('\n')
  return `<table><colgroup>${cols}</colgroup><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`
}

/** The annex table (annex.ts) in HTML: the same columns and relative widths as in Word. */
function annexTableHtml(
  data: ReportData,
  columns: ReturnType<typeof annexColumns>,
  cards: ExportedCard[],
): string {
  const widths = annexWidths(columns, cards)
  const total = widths.reduce((sum, width) => sum + width, 0)
  const cols = widths.map((width) => `<col style="width:${((100 * width) / total).toFixed(2)}%">`).join('')
  const head = columns.map((column) => `<th scope="col">${esc(column.header)}</th>`).join('')
  const rows = cards
    .map((card) => {
      const cells = columns.map((column, i) => {
        const text = column.text(card)
        if (i !== 1) return `<td>${cellText(text)}</td>`
        // The description column: the actie in bold, then the rest (labelled details in italics).
        const [title = '', ...rest] = text.split('\n')
        const more = rest.map((line) => {
          const label = /^([^:\n]{1,40}): /.exec(line)
          return label && isDetailLabel(data, label[1] ?? '')
            ? `<span class="label">${esc(label[1] ?? '')}:</span> ${esc(line.slice(label[0].length))}`
            : esc(line)
        })
        return `<td><strong>${esc(title)}</strong>${more.map((line) => `<br>${line}`).join('')}</td>`
      })
      return `<tr>${cells.join('')}</tr>`
    })
    .join('\n')
  return `<table class="annex"><colgroup>${cols}</colgroup><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`
}

const DETAIL_LABELS = new Set(['Stemmen', 'Voldoet aan', 'Koppelingen', 'Geselecteerd'])

function isDetailLabel(data: ReportData, label: string): boolean {
  return DETAIL_LABELS.has(label) || data.shortlist.fields.some((field) => field.label === label)
}
