import { type FormEvent, useEffect, useRef, useState } from 'react'
import { BUTTON, BUTTON_DANGER, BUTTON_DANGER_ASK, TEXTBOX } from '../controls.js'
import { useI18n } from '../i18n.js'
import { forgetBoard, type MyBoard } from './myBoards.js'
import type { OperatorRequest } from './operatorRequest.js'
import { ProblemList } from './ProblemList.js'
import type { TemplateProblem } from './templateProblems.js'

export interface CreatedBoard {
  id: string
  title: string
  tokens?: Record<'facilitator' | 'participant' | 'observer', string>
  links: Record<'facilitator' | 'participant' | 'observer', string>
}

interface Props {
  boards: MyBoard[]
  request: OperatorRequest
  /** The list in localStorage changed: read it again. */
  onListChanged: () => void
  /** A duplicate was made: show its links. */
  onCreated: (board: CreatedBoard) => void
  /** A template was saved: list the templates again. */
  onTemplateSaved: () => void
}

/**
 * "Mijn borden": the boards this browser made or opened as facilitator (myBoards.ts), each to open,
 * duplicate, save as a template, delete (after a confirmation), or remove from the list only.
 */
export function MyBoards({ boards, request, onListChanged, onCreated, onTemplateSaved }: Props) {
  const { t } = useI18n()
  const [status, setStatus] = useState('')
  const heading = useRef<HTMLHeadingElement>(null)
  const done = (message: string, removed = false) => {
    setStatus(message)
    if (removed) {
      onListChanged()
      // The row and its buttons are gone: keep keyboard focus in the list.
      heading.current?.focus()
    }
  }
  return (
    <section aria-labelledby="my-boards" className="my-boards">
      <h2 id="my-boards" ref={heading} tabIndex={-1}>
        {t.myBoards}
      </h2>
      <p className="hint">{t.myBoardsHelp}</p>
      {boards.length === 0 && <p>{t.myBoardsEmpty}</p>}
      <ul>
        {boards.map((board) => (
          <BoardRow
            key={board.id}
            board={board}
            request={request}
            done={done}
            onCreated={onCreated}
            onTemplateSaved={onTemplateSaved}
          />
        ))}
      </ul>
      <p role="status" className="hint">
        {status}
      </p>
    </section>
  )
}

type Mode = 'idle' | 'template' | 'delete'

function BoardRow({
  board,
  request,
  done,
  onCreated,
  onTemplateSaved,
}: {
  board: MyBoard
  request: OperatorRequest
  done: (message: string, removed?: boolean) => void
  onCreated: (board: CreatedBoard) => void
  onTemplateSaved: () => void
}) {
  const { t, language } = useI18n()
  const [mode, setMode] = useState<Mode>('idle')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')
  const [problems, setProblems] = useState<TemplateProblem[]>([])
  const [name, setName] = useState(board.title)
  const [withCards, setWithCards] = useState(true)
  const question = useRef<HTMLParagraphElement>(null)
  const nameField = useRef<HTMLInputElement>(null)
  const date = new Intl.DateTimeFormat(language === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'long' }).format(
    board.addedAt,
  )
  const link = `/b/${encodeURIComponent(board.id)}?token=${encodeURIComponent(board.token)}`

  useEffect(() => {
    if (mode === 'delete') question.current?.focus()
    if (mode === 'template') nameField.current?.focus()
  }, [mode])

  async function run(action: () => Promise<void>) {
    setBusy(true)
    setError('')
    setProblems([])
    try {
      await action()
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(false)
    }
  }

  const duplicate = () =>
    run(async () => {
      const title = t.duplicateOf(board.title).slice(0, 200)
      const { status, body } = await request('/api/boards', 'POST', {
        duplicate: { board: board.id, token: board.token },
        title,
      })
      if (status === 401) throw new Error(t.boardGone)
      if (status !== 201) throw new Error(String(body.error ?? status))
      onCreated(body as unknown as CreatedBoard)
      done(t.duplicated(title))
    })

  const saveTemplate = (event: FormEvent) => {
    event.preventDefault()
    return run(async () => {
      const { status, body } = await request('/api/templates', 'POST', {
        board: board.id,
        token: board.token,
        cards: withCards,
        title: name.trim() || board.title,
        description: t.savedFrom(board.title),
      })
      if (status === 401) throw new Error(t.boardGone)
      if (status === 413) throw new Error(t.templateTooLarge)
      if (status !== 201) {
        setProblems((body.problems as TemplateProblem[] | undefined) ?? [])
        throw new Error(body.problems ? t.templateProblems : String(body.error ?? status))
      }
      setMode('idle')
      onTemplateSaved()
      done(t.templateSaved(String(body.title)))
    })
  }

  const remove = () =>
    run(async () => {
      const res = await fetch(`/api/boards/${encodeURIComponent(board.id)}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${board.token}` },
      })
      if (!res.ok) setMode('idle')
      if (res.status === 401) throw new Error(t.boardGone)
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as { error?: string }
        throw new Error(body.error ?? String(res.status))
      }
      forgetBoard(board.id)
      done(t.myBoardDeleted(board.title), true)
    })

  const forget = () => {
    forgetBoard(board.id)
    done(t.forgotten(board.title), true)
  }

  return (
    <li className="my-board" data-board={board.id}>
      <div className="my-board-head">
        <a href={link}>{board.title}</a> <small>{t.addedOn(date)}</small>
      </div>
      {mode === 'idle' && (
        <fieldset className="my-board-actions" aria-label={t.boardActions(board.title)}>
          <button className={BUTTON} type="button" onClick={duplicate} disabled={busy}>
            {t.duplicateBoard}
          </button>
          <button className={BUTTON} type="button" onClick={() => setMode('template')} disabled={busy}>
            {t.saveAsTemplate}
          </button>
          <button
            type="button"
            className={`${BUTTON_DANGER_ASK} danger`}
            onClick={() => setMode('delete')}
            disabled={busy}
          >
            {t.deleteBoard}
          </button>
          <button className={BUTTON} type="button" onClick={forget} disabled={busy}>
            {t.forgetBoard}
          </button>
        </fieldset>
      )}
      {mode === 'template' && (
        <form className="my-board-form" onSubmit={saveTemplate} aria-label={t.saveAsTemplate}>
          <label>
            {t.templateName}{' '}
            <input
              className={TEXTBOX}
              ref={nameField}
              value={name}
              onChange={(e) => setName(e.target.value)}
              maxLength={200}
              required
            />
          </label>
          <label className="check">
            <input type="checkbox" checked={withCards} onChange={(e) => setWithCards(e.target.checked)} />{' '}
            {t.templateWithCards}
          </label>
          <span className="my-board-buttons">
            <button
              type="submit"
              className="utrecht-button utrecht-button--primary-action primary"
              disabled={busy}
            >
              {busy ? t.creating : t.templateSave}
            </button>
            <button className={BUTTON} type="button" onClick={() => setMode('idle')} disabled={busy}>
              {t.cancel}
            </button>
          </span>
        </form>
      )}
      {mode === 'delete' && (
        <div className="my-board-form">
          <p ref={question} tabIndex={-1}>
            {t.confirmDeleteBoard(board.title)}
          </p>
          <span className="my-board-buttons">
            <button
              type="button"
              className={`${BUTTON_DANGER} danger-solid`}
              onClick={remove}
              disabled={busy}
            >
              {t.confirmDelete}
            </button>
            <button className={BUTTON} type="button" onClick={() => setMode('idle')} disabled={busy}>
              {t.cancel}
            </button>
          </span>
        </div>
      )}
      {error && (
        <div role="alert" className="error">
          <p>{error}</p>
          <ProblemList problems={problems} />
        </div>
      )}
    </li>
  )
}
