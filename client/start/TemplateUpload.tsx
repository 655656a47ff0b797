import { type FormEvent, useState } from 'react'
import { BUTTON } from '../controls.js'
import { useI18n } from '../i18n.js'
import type { OperatorRequest } from './operatorRequest.js'
import { ProblemList } from './ProblemList.js'
import type { TemplateProblem } from './templateProblems.js'

/** Uploading a template (JSON) to this server: checked there, every problem shown with its place. */
export function TemplateUpload({ request, onSaved }: { request: OperatorRequest; onSaved: () => void }) {
  const { t } = useI18n()
  const [file, setFile] = useState<File | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')
  const [problems, setProblems] = useState<TemplateProblem[]>([])
  const [status, setStatus] = useState('')

  async function upload(event: FormEvent) {
    event.preventDefault()
    if (!file) return
    setBusy(true)
    setError('')
    setProblems([])
    setStatus('')
    try {
      let template: unknown
      try {
        template = JSON.parse((await file.text()).replace(/^\ufeff/, ''))
      } catch (e) {
        throw new Error(t.notJson((e as Error).message))
      }
      const { status, body } = await request('/api/templates', 'POST', { template })
      if (status === 413) throw new Error(t.templateTooLarge)
      if (status !== 201) {
        setProblems((body.problems as TemplateProblem[] | undefined) ?? [])
        throw new Error(body.problems ? t.templateProblems : String(body.error ?? status))
      }
      setStatus(t.uploaded(String(body.title)))
      onSaved()
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section aria-labelledby="upload-template" className="upload-template">
      <h2 id="upload-template">{t.uploadTitle}</h2>
      <p className="hint" id="upload-help">
        {t.uploadHelp}
      </p>
      <form onSubmit={upload}>
        <label>
          {t.uploadFile}{' '}
          <input
            type="file"
            accept=".json,application/json"
            aria-describedby="upload-help"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </label>{' '}
        <button className={BUTTON} type="submit" disabled={busy || !file}>
          {busy ? t.creating : t.upload}
        </button>
      </form>
      {error && (
        <div role="alert" className="error">
          <p>{error}</p>
          <ProblemList problems={problems} />
        </div>
      )}
      <p role="status" className="hint">
        {status}
      </p>
    </section>
  )
}
