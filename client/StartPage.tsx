import { type FormEvent, useEffect, useState } from 'react'
import { type Language, texts } from './texts.js'

interface TemplateSummary {
  id: string
  title: string
  description: string
  cards: number
}

interface CreatedBoard {
  id: string
  title: string
  links: Record<'facilitator' | 'participant' | 'observer', string>
}

/** Placeholder start page: pick a template, create a board, get its three links. */
export function StartPage() {
  const [language, setLanguage] = useState<Language>('nl')
  const t = texts[language]
  const [templates, setTemplates] = useState<TemplateSummary[]>([])
  const [templateId, setTemplateId] = useState('')
  const [title, setTitle] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')
  const [created, setCreated] = useState<CreatedBoard | null>(null)
  const onBoard = location.pathname.startsWith('/b/')

  useEffect(() => {
    if (onBoard) return
    fetch('/api/templates')
      .then((res) => res.json())
      .then((body: { templates: TemplateSummary[] }) => {
        setTemplates(body.templates)
        setTemplateId(body.templates[0]?.id ?? '')
      })
      .catch(() => setError(t.loadFailed))
  }, [onBoard, t.loadFailed])

  async function create(event: FormEvent) {
    event.preventDefault()
    setBusy(true)
    setError('')
    try {
      const res = await fetch('/api/boards', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ template: templateId, title: title || undefined }),
      })
      const body = await res.json()
      if (!res.ok) throw new Error(body.error)
      setCreated(body)
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <main
      style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 720, margin: '2rem auto', padding: '0 1rem' }}
    >
      <header style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'baseline' }}>
        <h1>{t.appName}</h1>
        <button type="button" onClick={() => setLanguage(language === 'nl' ? 'en' : 'nl')}>
          {t.language}
        </button>
      </header>
      <p>{t.tagline}</p>
      {onBoard ? (
        <p>{t.boardPlaceholder}</p>
      ) : (
        <form onSubmit={create}>
          <fieldset>
            <legend>{t.chooseTemplate}</legend>
            {templates.map((template) => (
              <label key={template.id} style={{ display: 'block', margin: '0.5rem 0' }}>
                <input
                  type="radio"
                  name="template"
                  value={template.id}
                  checked={templateId === template.id}
                  onChange={() => setTemplateId(template.id)}
                />{' '}
                <strong>{template.title}</strong> — {t.cards(template.cards)}
                <br />
                <small>{template.description}</small>
              </label>
            ))}
          </fieldset>
          <p>
            <label>
              {t.boardTitle}{' '}
              <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} />
            </label>{' '}
            <button type="submit" disabled={busy || !templateId}>
              {busy ? t.creating : t.create}
            </button>
          </p>
        </form>
      )}
      {error && <p role="alert">{error}</p>}
      {created && (
        <section>
          <h2>{t.links}</h2>
          <dl>
            {(['facilitator', 'participant', 'observer'] as const).map((role) => (
              <div key={role}>
                <dt>{t.role[role]}</dt>
                <dd>
                  <a href={created.links[role]}>{created.links[role]}</a>
                </dd>
              </div>
            ))}
          </dl>
        </section>
      )}
    </main>
  )
}
