import { type FormEvent, useEffect, useMemo, useState } from 'react'
import { renderSVG } from 'uqr'
import { useI18n } from './i18n.js'

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

/** The start page: pick a template and a title, create the board, get its three links. */
export function StartPage() {
  const { t, toggle } = useI18n()
  const [templates, setTemplates] = useState<TemplateSummary[]>([])
  const [templateId, setTemplateId] = useState('')
  const [title, setTitle] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')
  const [created, setCreated] = useState<CreatedBoard | null>(null)
  // BOARD_CREATE_TOKEN: asked for once, when the server wants it, and kept in this browser.
  const [createToken, setCreateToken] = useState(readCreateToken)
  const [askToken, setAskToken] = useState(false)

  useEffect(() => {
    fetch('/api/templates')
      .then((res) => res.json())
      .then((body: { templates: TemplateSummary[] }) => {
        setTemplates(body.templates)
        setTemplateId((current) => current || (body.templates[0]?.id ?? ''))
      })
      .catch(() => setError(t.loadFailed))
  }, [t.loadFailed])

  async function create(event: FormEvent) {
    event.preventDefault()
    setBusy(true)
    setError('')
    try {
      const token = createToken.trim()
      const res = await fetch('/api/boards', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ template: templateId, title: title.trim() || undefined }),
      })
      const body = await res.json()
      if (res.status === 401 && body.needsToken) {
        const wasWrong = token !== ''
        forgetCreateToken()
        setAskToken(true)
        throw new Error(wasWrong ? t.createTokenWrong : t.createTokenHelp)
      }
      if (res.status === 403) throw new Error(t.createOnlyHere)
      if (!res.ok) throw new Error(body.error)
      if (token) keepCreateToken(token)
      setAskToken(false)
      setCreated(body)
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <main className="start">
      <header className="start-head">
        <h1>{t.appName}</h1>
        <button type="button" onClick={toggle}>
          {t.otherLanguage}
        </button>
      </header>
      <p>{t.tagline}</p>
      <form onSubmit={create}>
        <fieldset>
          <legend>{t.chooseTemplate}</legend>
          {templates.map((template) => (
            <label key={template.id} className="template">
              <input
                type="radio"
                name="template"
                value={template.id}
                checked={templateId === template.id}
                onChange={() => setTemplateId(template.id)}
              />
              <span>
                <strong>{template.title}</strong> — {t.cards(template.cards)}
                <br />
                <small>{template.description}</small>
              </span>
            </label>
          ))}
        </fieldset>
        {askToken && (
          <p>
            <label>
              {t.createToken}{' '}
              <input
                name="createToken"
                type="password"
                autoComplete="off"
                value={createToken}
                onChange={(e) => setCreateToken(e.target.value)}
                aria-describedby="create-token-help"
              />
            </label>{' '}
            <small id="create-token-help">{t.createTokenHelp}</small>
          </p>
        )}
        <p>
          <label>
            {t.boardTitle}{' '}
            <input name="title" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} />
          </label>{' '}
          <button type="submit" className="primary" disabled={busy || !templateId}>
            {busy ? t.creating : t.create}
          </button>
        </p>
      </form>
      {error && <p role="alert">{error}</p>}
      {created && (
        <section aria-labelledby="links">
          <h2 id="links">{t.links}</h2>
          <dl className="links">
            {(['facilitator', 'participant', 'observer'] as const).map((role) => (
              <div key={role}>
                <dt>{t.role[role]}</dt>
                <dd>
                  <a href={created.links[role]} data-role={role}>
                    {created.links[role]}
                  </a>{' '}
                  <CopyButton text={created.links[role]} />
                </dd>
              </div>
            ))}
          </dl>
          <QrCode text={created.links.participant} caption={t.qrCaption} />
        </section>
      )}
    </main>
  )
}

const CREATE_TOKEN_KEY = 'werkbord.createToken'

function readCreateToken(): string {
  try {
    return localStorage.getItem(CREATE_TOKEN_KEY) ?? ''
  } catch {
    return ''
  }
}

function keepCreateToken(token: string): void {
  try {
    localStorage.setItem(CREATE_TOKEN_KEY, token)
  } catch {
    // not kept: asked for again next time
  }
}

function forgetCreateToken(): void {
  try {
    localStorage.removeItem(CREATE_TOKEN_KEY)
  } catch {
    // nothing kept
  }
}

function CopyButton({ text }: { text: string }) {
  const { t } = useI18n()
  const [copied, setCopied] = useState(false)
  return (
    <button
      type="button"
      onClick={() =>
        navigator.clipboard?.writeText(text).then(
          () => setCopied(true),
          () => setCopied(false),
        )
      }
    >
      {copied ? t.copied : t.copy}
    </button>
  )
}

/** The participant link as a QR code, so people in the room join from their phones. Made here, offline. */
function QrCode({ text, caption }: { text: string; caption: string }) {
  const src = useMemo(
    () => `data:image/svg+xml;utf8,${encodeURIComponent(renderSVG(text, { border: 2 }))}`,
    [text],
  )
  return (
    <figure className="qr">
      <img src={src} alt={caption} width={220} height={220} />
      <figcaption>{caption}</figcaption>
    </figure>
  )
}
