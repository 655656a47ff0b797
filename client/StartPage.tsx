import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { renderSVG } from 'uqr'
import { useI18n } from './i18n.js'
import { forgetCreateToken, keepCreateToken, readCreateToken } from './start/createToken.js'
import { type CreatedBoard, MyBoards } from './start/MyBoards.js'
import { readMyBoards, rememberBoard } from './start/myBoards.js'
import { operatorRequest } from './start/operatorRequest.js'
import { TemplateUpload } from './start/TemplateUpload.js'
import './start/controls.css'
import { BUTTON, BUTTON_DANGER, BUTTON_DANGER_ASK, TEXTBOX } from './controls.js'

interface TemplateSummary {
  id: string
  title: string
  description: string
  cards: number
  /** Read from the server's TEMPLATES_DIR; false: made on this server (saved from a board or uploaded). */
  builtIn?: boolean
  createdAt?: string
}

/**
 * The start page: the facilitator's own boards (Mijn borden, kept in this browser), then picking a
 * template (built-in or made on this server) and a title, creating the board and getting its three
 * links; and uploading a template.
 */
export function StartPage() {
  const { t, toggle, language } = useI18n()
  const [templates, setTemplates] = useState<TemplateSummary[]>([])
  const [templateId, setTemplateId] = useState('')
  const [title, setTitle] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')
  const [created, setCreated] = useState<CreatedBoard | null>(null)
  // BOARD_CREATE_TOKEN: asked for once, when the server wants it, and kept in this browser.
  const [createToken, setCreateToken] = useState(readCreateToken)
  const [askToken, setAskToken] = useState(false)
  const [myBoards, setMyBoards] = useState(readMyBoards)
  // Once shown, the list stays (empty) when its last board goes: its message and focus stay in place.
  const [showMyBoards, setShowMyBoards] = useState(myBoards.length > 0)
  const [deleting, setDeleting] = useState<string | null>(null)
  const [templateStatus, setTemplateStatus] = useState('')
  const tokenRef = useRef(createToken)
  tokenRef.current = createToken

  const request = useMemo(
    () =>
      operatorRequest(
        {
          token: () => tokenRef.current,
          needsToken: () => {
            forgetCreateToken()
            setAskToken(true)
          },
          accepted: (token) => {
            keepCreateToken(token)
            setAskToken(false)
          },
        },
        t,
      ),
    [t],
  )

  const loadTemplates = useCallback(() => {
    fetch('/api/templates')
      .then((res) => res.json())
      .then((body: { templates: TemplateSummary[] }) => {
        setTemplates(body.templates)
        setTemplateId((current) =>
          body.templates.some((template) => template.id === current)
            ? current
            : (body.templates[0]?.id ?? ''),
        )
      })
      .catch(() => setError(t.loadFailed))
  }, [t.loadFailed])

  useEffect(loadTemplates, [loadTemplates])

  function showCreated(board: CreatedBoard) {
    if (board.tokens) rememberBoard({ id: board.id, title: board.title, token: board.tokens.facilitator })
    setMyBoards(readMyBoards())
    setShowMyBoards(true)
    setCreated(board)
  }

  async function create(event: FormEvent) {
    event.preventDefault()
    setBusy(true)
    setError('')
    try {
      const { status, body } = await request('/api/boards', 'POST', {
        template: templateId,
        title: title.trim() || undefined,
      })
      if (status === 403) throw new Error(t.createOnlyHere)
      if (status !== 201) throw new Error(String(body.error ?? status))
      showCreated(body as unknown as CreatedBoard)
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(false)
    }
  }

  async function deleteTemplate(template: TemplateSummary) {
    setTemplateStatus('')
    try {
      const { status, body } = await request(`/api/templates/${encodeURIComponent(template.id)}`, 'DELETE')
      if (status !== 200 && status !== 404) throw new Error(String(body.error ?? status))
      setDeleting(null)
      // The server has let it go: the list drops it in the same render that says so, rather than
      // announcing a deletion while the template is still listed until the reload comes back.
      setTemplates((list) => list.filter((item) => item.id !== template.id))
      setTemplateId((current) => (current === template.id ? '' : current))
      setTemplateStatus(t.templateDeleted(template.title))
      loadTemplates()
    } catch (e) {
      setTemplateStatus((e as Error).message)
    }
  }

  const builtIn = templates.filter((template) => template.builtIn !== false)
  const own = templates.filter((template) => template.builtIn === false)
  const dateOf = (iso: string | undefined) =>
    iso
      ? new Intl.DateTimeFormat(language === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'long' }).format(
          new Date(iso),
        )
      : ''
  const option = (template: TemplateSummary) => (
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
        {template.createdAt && <>, {t.madeOn(dateOf(template.createdAt))}</>}
        <br />
        <small>{template.description}</small>
      </span>
    </label>
  )

  return (
    <main className="start">
      <header className="start-head">
        <h1 className="utrecht-heading-1">{t.appName}</h1>
        <button className={BUTTON} type="button" onClick={toggle}>
          {t.otherLanguage}
        </button>
      </header>
      <p>{t.tagline}</p>
      {askToken && (
        <p>
          <label className="utrecht-form-label">
            {t.createToken}{' '}
            <input
              className={TEXTBOX}
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
      {(showMyBoards || myBoards.length > 0) && (
        <MyBoards
          boards={myBoards}
          request={request}
          onListChanged={() => setMyBoards(readMyBoards())}
          onCreated={showCreated}
          onTemplateSaved={loadTemplates}
        />
      )}
      <form onSubmit={create}>
        <fieldset>
          <legend>{t.chooseTemplate}</legend>
          {own.length > 0 && <h3 className="template-group">{t.builtInTemplates}</h3>}
          {builtIn.map(option)}
          {own.length > 0 && <h3 className="template-group">{t.ownTemplates}</h3>}
          {own.map((template) => (
            <div key={template.id} className="own-template" data-template={template.id}>
              {option(template)}
              {deleting === template.id ? (
                <p className="my-board-form">
                  {t.confirmDeleteTemplate(template.title)}{' '}
                  <button
                    type="button"
                    className={`${BUTTON_DANGER} danger-solid`}
                    onClick={() => deleteTemplate(template)}
                  >
                    {t.confirmDelete}
                  </button>{' '}
                  <button className={BUTTON} type="button" onClick={() => setDeleting(null)}>
                    {t.cancel}
                  </button>
                </p>
              ) : (
                <button
                  type="button"
                  className={`${BUTTON_DANGER_ASK} danger`}
                  aria-label={t.deleteTemplate(template.title)}
                  onClick={() => setDeleting(template.id)}
                >
                  {t.deleteBoard}
                </button>
              )}
            </div>
          ))}
          <p role="status" className="hint">
            {templateStatus}
          </p>
        </fieldset>
        <p>
          <label className="utrecht-form-label">
            {t.boardTitle}{' '}
            <input
              className={TEXTBOX}
              name="title"
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              maxLength={200}
            />
          </label>{' '}
          <button
            type="submit"
            className="utrecht-button utrecht-button--primary-action primary"
            disabled={busy || !templateId}
          >
            {busy ? t.creating : t.create}
          </button>
        </p>
      </form>
      {error && (
        <p role="alert" className="utrecht-alert utrecht-alert--error">
          {error}
        </p>
      )}
      {created && (
        <section aria-labelledby="links">
          <h2 id="links" className="utrecht-heading-2">
            {t.links}
          </h2>
          <dl className="links">
            {(['facilitator', 'participant', 'observer'] as const).map((role) => (
              <div key={role}>
                <dt>{t.role[role]}</dt>
                <dd>
                  <a
                    href={created.links[role]}
                    data-role={role}
                    className="utrecht-link utrecht-link--html-a"
                  >
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
      <TemplateUpload request={request} onSaved={loadTemplates} />
    </main>
  )
}

function CopyButton({ text }: { text: string }) {
  const { t } = useI18n()
  const [copied, setCopied] = useState(false)
  return (
    <button
      className={BUTTON}
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
