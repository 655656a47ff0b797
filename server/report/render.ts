import type * as Y from 'yjs'
import type { Rendered } from '../export/render.js'
import { gatherReport } from './gather.js'

export const REPORT_FORMATS = ['docx', 'html'] as const
export type ReportFormat = (typeof REPORT_FORMATS)[number]

/** The session report of a board in a format (run in an exchange worker, like exports). */
export async function renderReport(doc: Y.Doc, format: ReportFormat, madeAt = Date.now()): Promise<Rendered> {
  const data = gatherReport(doc, madeAt)
  if (format === 'html') {
    return {
      body: Buffer.from((await import('./html.js')).reportHtml(data)),
      contentType: 'text/html; charset=utf-8',
      extension: 'html',
    }
  }
  return {
    // Loaded on first use: docx and the chart's renderer are large.
    body: await (await import('./docx.js')).reportDocx(data),
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extension: 'docx',
  }
}
