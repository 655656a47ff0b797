import { type ChangeEvent, useState } from 'react'
import type { BoardTemplate } from '../../../model/template.js'
import { BUTTON, SELECT } from '../../controls.js'
import { useI18n } from '../../i18n.js'
import { SaveAsTemplate } from './SaveAsTemplate.js'

const FORMATS = [
  { id: 'json', label: 'JSON' },
  { id: 'csv', label: 'CSV' },
  { id: 'xlsx', label: 'Excel' },
  { id: 'md', label: 'Markdown' },
  { id: 'docx', label: 'Word' },
] as const

interface Preview {
  cards: { fields: Record<string, unknown> }[]
  columns?: { header: string; target: string }[]
  problems: { path?: string; row?: number; column?: string; message: string }[]
}

/** The facilitator's exchange with the programme document: export the shortlist, import a longlist. */
export function ExchangePanel({
  boardId,
  token,
  template,
  title = template.title,
}: {
  boardId: string
  token: string
  template: BoardTemplate
  /** The board's title: the default name of a template saved from it. */
  title?: string
}) {
  const { t } = useI18n()
  const [lane, setLane] = useState('shortlist')
  const [message, setMessage] = useState('')
  const [file, setFile] = useState<{ body: ArrayBuffer; type: string } | null>(null)
  const [preview, setPreview] = useState<Preview | null>(null)
  const auth = { authorization: `Bearer ${token}` }

  const base = `/api/boards/${encodeURIComponent(boardId)}`
  /** Fetches an export or the report (with the token in a header) and saves it as a file. */
  const download = async (route: string, format: string) => {
    setMessage('')
    const res = await fetch(`${base}/${route}`, { headers: auth })
    if (!res.ok) return setMessage(t.failed(((await res.json()) as { error: string }).error))
    const name =
      /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `werkbord.${format}`
    const url = URL.createObjectURL(await res.blob())
    const link = document.createElement('a')
    link.href = url
    link.download = name
    link.click()
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
  }

  const send = (body: ArrayBuffer, type: string, dryRun: boolean) =>
    fetch(`/api/boards/${encodeURIComponent(boardId)}/import${dryRun ? '?dryRun=1' : ''}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': type },
      body,
    })

  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    setMessage('')
    setPreview(null)
    const chosen = event.target.files?.[0]
    if (!chosen) return
    const type = /\.xlsx$/i.test(chosen.name)
      ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
      : /\.json$/i.test(chosen.name)
        ? 'application/json'
        : 'text/csv'
    const body = await chosen.arrayBuffer()
    setFile({ body, type })
    const res = await send(body, type, true)
    const result = (await res.json()) as Preview & { error?: string }
    if (!res.ok) return setMessage(t.failed(result.error ?? String(res.status)))
    setPreview(result)
  }

  const runImport = async () => {
    if (!file) return
    const res = await send(file.body, file.type, false)
    const result = (await res.json()) as { imported?: number; error?: string }
    if (!res.ok) return setMessage(t.failed(result.error ?? String(res.status)))
    setMessage(t.importDone(result.imported ?? 0))
    setPreview(null)
    setFile(null)
  }

  const fieldLabel = (id: string) =>
    template.fields.find((field) => field.id === id.split('.')[0])?.label ?? id
  return (
    <details className="exchange">
      <summary>{t.exchange}</summary>
      <div className="exchange-body">
        <section aria-labelledby="export-title">
          <h2 id="export-title">{t.exportTitle}</h2>
          <label>
            {t.exportLane}{' '}
            <select className={SELECT} value={lane} onChange={(e) => setLane(e.target.value)}>
              {template.lanes.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.label}
                </option>
              ))}
              <option value="all">{t.lanesAll}</option>
            </select>
          </label>
          <div className="formats">
            {FORMATS.map((format) => (
              <button
                className={BUTTON}
                key={format.id}
                type="button"
                data-format={format.id}
                onClick={() => void download(`export?format=${format.id}&lane=${lane}`, format.id)}
              >
                {t.download(format.label)}
              </button>
            ))}
          </div>
        </section>
        <section aria-labelledby="report-title">
          <h2 id="report-title">{t.reportTitle}</h2>
          <p className="hint">{t.reportHelp}</p>
          <div className="formats">
            <button
              className={BUTTON}
              type="button"
              data-report="docx"
              onClick={() => void download('report?format=docx', 'docx')}
            >
              {t.reportWord}
            </button>
            <button
              className={BUTTON}
              type="button"
              data-report="html"
              aria-describedby="report-print-hint"
              onClick={() =>
                window.open(
                  `${base}/report?format=html&token=${encodeURIComponent(token)}`,
                  '_blank',
                  'noopener',
                )
              }
            >
              {t.reportPrint}
            </button>
          </div>
          <p className="hint" id="report-print-hint">
            {t.reportPrintHint}
          </p>
        </section>
        <section aria-labelledby="import-title">
          <h2 id="import-title">{t.importTitle}</h2>
          <p className="hint">{t.importHelp}</p>
          <label>
            {t.importFile}{' '}
            <input
              type="file"
              accept=".csv,.xlsx,.json,text/csv,application/json"
              onChange={(e) => void choose(e)}
            />
          </label>
          {preview && (
            <div className="import-preview">
              <p>{t.importPreview(preview.cards.length)}</p>
              {preview.columns && (
                <p className="hint">
                  {t.importColumns}:{' '}
                  {preview.columns.map((c) => `${c.header} → ${fieldLabel(c.target)}`).join(' · ')}
                </p>
              )}
              <ol className="preview-cards">
                {preview.cards.slice(0, 8).map((card, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a preview list that never reorders
                  <li key={i}>{String(card.fields.actie ?? '').split('\n')[0]}</li>
                ))}
              </ol>
              {preview.problems.length > 0 && (
                <div role="alert">
                  <p>{t.importProblems}</p>
                  <ul className="problems">
                    {preview.problems.map((problem, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: problems have no identity of their own
                      <li key={i}>
                        {problem.row !== undefined ? t.importRow(problem.row) : problem.path}
                        {problem.column ? `, ${problem.column}` : ''}: {problem.message}
                      </li>
                    ))}
                  </ul>
                </div>
              )}
              <button
                type="button"
                className="utrecht-button utrecht-button--primary-action primary"
                disabled={preview.problems.length > 0 || preview.cards.length === 0}
                onClick={() => void runImport()}
              >
                {t.importDo(preview.cards.length)}
              </button>
            </div>
          )}
        </section>
        <p role="status">{message}</p>
        <SaveAsTemplate boardId={boardId} token={token} title={title} />
      </div>
    </details>
  )
}
