import * as Y from 'yjs'
import { exportBoard, type LaneSelection } from '../../model/export.js'
import type { BoardTemplate } from '../../model/template.js'
import { type ExportFormat, renderExport } from '../export/render.js'
import { type ImportKind, type PreparedImport, prepareImport } from '../import/prepare.js'

/** Work the exchange workers do (worker.ts runs it; exchange.ts sends it). Plain data both ways. */
export type ExchangeTask =
  | { type: 'export'; state: Uint8Array; lane: LaneSelection; format: ExportFormat; names?: boolean }
  | { type: 'import'; kind: ImportKind; body: Uint8Array; template: BoardTemplate; maxUnpackedBytes: number }

export interface ExportResult {
  body: Uint8Array
  contentType: string
  extension: string
  title: string
}

/** Runs one task: an export renders the board (sent as its Yjs state) in a format; an import is read and checked. */
export async function runTask(task: ExchangeTask): Promise<ExportResult | PreparedImport> {
  if (task.type === 'export') {
    const doc = new Y.Doc()
    try {
      Y.applyUpdate(doc, task.state)
      const document = exportBoard(doc, { lane: task.lane, names: task.names })
      const rendered = await renderExport(document, task.format)
      return { ...rendered, body: new Uint8Array(rendered.body), title: document.board.title }
    } finally {
      doc.destroy()
    }
  }
  return prepareImport(task.kind, Buffer.from(task.body), task.template, {
    maxUnpackedBytes: task.maxUnpackedBytes,
  })
}
