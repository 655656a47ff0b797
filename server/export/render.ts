import type { ExportDocument } from '../../model/export.js'
import { toCsv } from './csv.js'
import { toMarkdown } from './markdown.js'

export const EXPORT_FORMATS = ['json', 'csv', 'xlsx', 'md', 'docx'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

export interface Rendered {
  body: Buffer
  contentType: string
  extension: string
}

/** Renders an export document in a format: JSON is the document itself; the others are views of it. */
export async function renderExport(document: ExportDocument, format: ExportFormat): Promise<Rendered> {
  switch (format) {
    case 'json':
      return {
        body: Buffer.from(JSON.stringify(document, null, 2)),
        contentType: 'application/json; charset=utf-8',
        extension: 'json',
      }
    case 'csv':
      return { body: Buffer.from(toCsv(document)), contentType: 'text/csv; charset=utf-8', extension: 'csv' }
    case 'md':
      return {
        body: Buffer.from(toMarkdown(document)),
        contentType: 'text/markdown; charset=utf-8',
        extension: 'md',
      }
    case 'xlsx':
      return {
        // Loaded on first use: exceljs and docx are large and most exports are JSON.
        body: await (await import('./xlsx.js')).toXlsx(document),
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        extension: 'xlsx',
      }
    case 'docx':
      return {
        body: await (await import('./docx.js')).toDocx(document),
        contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        extension: 'docx',
      }
  }
}
