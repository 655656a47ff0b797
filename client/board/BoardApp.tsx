import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { CardDetail } from '../card/CardDetail.js'
import { BUTTON } from '../controls.js'
import { useI18n } from '../i18n.js'
import { ListView } from '../list/ListView.js'
import { PresentButton, usePresentation } from '../present/presentMode.js'
import { registerServiceWorkerWhenIdle } from '../serviceWorker.js'
import { AnnouncerProvider } from './announcements/announcer.js'
import { BoardAnnouncements } from './announcements/BoardAnnouncements.js'
import { BoardLifePanel, ForgetHere } from './BoardLifePanel.js'
import { HeadMenuButton } from './header/HeadMenu.js'
import { PhaseBar } from './header/PhaseBar.js'
import { StatusBar } from './header/StatusBar.js'
import { Timer } from './header/Timer.js'
import { useFacilitation, useMeta, useSessionValue } from './hooks.js'
import { type BoardInfo, fetchBoardInfo } from './join/boardInfo.js'
import { type ClientConfig, canvasAllowed, fetchClientConfig } from './join/clientConfig.js'
import { JoinScreen } from './join/JoinScreen.js'
import {
  ExchangePanel,
  InvitationsPanel,
  MatrixView,
  PeoplePanel,
  PlanningView,
  Presentation,
  ResultsView,
  VotingSettingsPanel,
} from './lazyParts.js'
import { NewCard } from './NewCard.js'
import { RescuedTexts } from './RescuedTexts.js'
import { permissions } from './session/permissions.js'
import { rememberedUser, rememberUser, setPresence, usePeers } from './session/presence.js'
import { takeRejectionNotice } from './session/session.js'
import { releaseSession, takeSession } from './session/sessionCache.js'
import { useUndoKeys } from './useUndoKeys.js'
import { VotesLeft, VotingProvider } from './voting.js'

const Canvas = lazy(() => import('../canvas/Canvas.js'))

type View = 'list' | 'canvas' | 'results' | 'matrix' | 'planning'
const VIEWS = ['list', 'canvas', 'results', 'matrix', 'planning'] as const
const VIEW_KEY = 'werkbord.view'

/** A board link (`/b/<id>?token=…`): join, then work on the board in the list view or on the canvas. */
export function BoardApp({ boardId, token }: { boardId: string; token: string | null }) {
  const { t } = useI18n()
  const [info, setInfo] = useState<BoardInfo | null>(null)
  const [config, setConfig] = useState<ClientConfig | null>(null)
  const [problem, setProblem] = useState<string | null>(token ? null : t.noToken)
  const [user, setUser] = useState(() => {
    const remembered = rememberedUser()
    return remembered.name ? remembered : null
  })

  useEffect(() => {
    fetchClientConfig().then(setConfig)
  }, [])

  useEffect(() => {
    if (!token) return
    fetchBoardInfo(boardId, token).then((result) => {
      if (result.ok) setInfo(result.info)
      else
        setProblem(
          result.reason === 'unauthorized'
            ? t.badLink
            : result.reason === 'shared-link-off'
              ? t.sharedLinkOff
              : t.loadFailed,
        )
    })
  }, [boardId, token, t])

  if (problem)
    return (
      <div className="problem">
        <p role="alert">{problem}</p>
        {problem === t.badLink && <ForgetHere boardId={boardId} />}
      </div>
    )
  if (!info || !token || !config) return <p className="loading">{t.loading}</p>
  // A personal link: the invitee is who the facilitator invited (the server shows that name anyway).
  const invitee = info.invitee?.name
  if (user && invitee && user.name !== invitee) {
    const named = { name: invitee, color: user.color }
    rememberUser(named)
    setUser(named)
  }
  if (!user) {
    return (
      <JoinScreen
        title={info.title}
        fixedName={invitee}
        onJoin={(chosen) => {
          rememberUser(chosen)
          setUser(chosen)
        }}
      />
    )
  }
  return (
    <AnnouncerProvider>
      <Board info={info} token={token} user={user} config={config} />
    </AnnouncerProvider>
  )
}

interface BoardProps {
  info: BoardInfo
  token: string
  user: { name: string; color: string }
  config: ClientConfig
}

function Board({ info, token, user, config }: BoardProps) {
  const { t, toggle } = useI18n()
  const session = useMemo(() => takeSession(info.id, token), [info.id, token])
  useEffect(() => () => releaseSession(session, token), [session, token])
  useEffect(() => setPresence(session.provider, { user, editing: null }), [session, user])
  // Not the whole session state: its unsent count changes with every edit, and the board would re-render.
  const state = {
    connection: useSessionValue(session, 'connection'),
    loaded: useSessionValue(session, 'loaded'),
    refusal: useSessionValue(session, 'refusal'),
  }
  const [rejected] = useState(takeRejectionNotice)
  // Not before: its installation would compete with the board's first render (serviceWorker.ts).
  useEffect(() => {
    if (state.loaded) registerServiceWorkerWhenIdle()
  }, [state.loaded])
  const meta = useMeta(session.doc)
  const facilitation = useFacilitation(session.doc)
  const can = useMemo(() => permissions(info.role, facilitation), [info.role, facilitation])
  const peers = usePeers(session.provider)
  const canvasOk = canvasAllowed(config)
  // The list view is the default where the canvas cannot run or has no room (a phone).
  const [view, setViewState] = useState<View>(() => {
    const chosen = localStorage.getItem(VIEW_KEY)
    if (chosen === 'canvas') {
      if (canvasOk) return chosen
    } else if ((VIEWS as readonly (string | null)[]).includes(chosen)) return chosen as View
    return canvasOk && window.innerWidth >= 760 ? 'canvas' : 'list'
  })
  const setView = (next: View) => {
    localStorage.setItem(VIEW_KEY, next)
    setViewState(next)
  }
  // Undo could take back a change the current phase no longer allows: only offered while editing is open.
  const canUndo = can('card.content')
  useUndoKeys(session.undo, canUndo)

  const onEditing = useCallback(
    (cardId: string | null) => setPresence(session.provider, { editing: cardId }),
    [session],
  )
  const merge = useCallback(
    (target: string, source: string) =>
      void fetch(`/api/boards/${encodeURIComponent(info.id)}/merge`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ target, source }),
      }),
    [info.id, token],
  )
  // The detail editor: which card is open, and where focus goes back to when it closes.
  const [detail, setDetail] = useState<{ id: string; focus?: string } | null>(null)
  const detailRef = useRef<string | null>(null)
  const returnFocus = useRef<HTMLElement | null>(null)
  const openCard = useCallback((id: string, focus?: string) => {
    if (document.activeElement instanceof HTMLElement && !document.activeElement.closest('dialog'))
      returnFocus.current = document.activeElement
    detailRef.current = id
    setDetail({ id, focus })
  }, [])
  const closeCard = useCallback(() => {
    const id = detailRef.current
    detailRef.current = null
    setDetail(null)
    // Back to the card's face (it may have moved to another lane), else to where the user came from.
    requestAnimationFrame(() => {
      const face = id
        ? document.querySelector<HTMLElement>(`main [data-card-id="${id}"] [data-action="open"]`)
        : null
      const target = face ?? returnFocus.current
      if (target?.isConnected) target.focus()
    })
  }, [])
  // A new card opens in the detail editor, the caret in its actie (on the canvas, in view too).
  const focusCard = useCallback((id: string) => openCard(id, 'actie'), [openCard])
  // Presentation mode, for the beamer: the facilitator's and the observer's (a link with #presentatie).
  const [presentMode, present] = usePresentation()
  const presenting = presentMode && info.role !== 'participant'
  // On a phone the header folds its tools and panels behind a menu (HeadMenu.tsx, head.css).
  const [menuOpen, setMenuOpen] = useState(false)

  if (state.connection === 'refused')
    return (
      <div className="problem">
        <p role="alert">{state.refusal === 'shared link off' ? t.sharedLinkOff : t.badLink}</p>
        <ForgetHere boardId={info.id} session={session} />
      </div>
    )
  if (state.connection === 'deleted' || state.connection === 'forgotten')
    return (
      <div className="problem board-gone" role="alert" data-gone={state.connection}>
        <p>{state.connection === 'deleted' ? t.boardDeleted : t.boardForgotten}</p>
        <p>
          <a href="/">{t.toStart}</a>
        </p>
      </div>
    )
  return (
    <VotingProvider
      boardId={info.id}
      token={token}
      doc={session.doc}
      open={facilitation.phase === 'stemmen'}
      canVote={info.role !== 'observer'}
    >
      <div className="board" data-phase={facilitation.phase} hidden={presenting}>
        <BoardAnnouncements doc={session.doc} phase={facilitation.phase} />
        <a className="skip-link" href="#cards">
          {t.skipToCards}
        </a>
        <header className="board-head" data-menu={menuOpen ? 'open' : 'closed'} data-role={info.role}>
          <h1>{meta.title || info.title}</h1>
          <StatusBar session={session} peers={peers} />
          <HeadMenuButton open={menuOpen} onToggle={setMenuOpen} />
          <div className="tools">
            {can('card.create') && (
              <NewCard doc={session.doc} template={meta.template} onCreated={focusCard} />
            )}
            {canUndo && (
              <>
                <button className={BUTTON} type="button" onClick={() => session.undo.undo()}>
                  {t.undo}
                </button>
                <button className={BUTTON} type="button" onClick={() => session.undo.redo()}>
                  {t.redo}
                </button>
              </>
            )}
            <fieldset className="toggle">
              <legend className="visually-hidden">{t.viewToggle}</legend>
              {VIEWS.map((option) => (
                <label key={option}>
                  <input
                    type="radio"
                    name="view"
                    checked={view === option}
                    disabled={option === 'canvas' && !canvasOk}
                    onChange={() => setView(option)}
                  />
                  {t.views[option]}
                </label>
              ))}
            </fieldset>
            <button className={BUTTON} type="button" onClick={toggle}>
              {t.otherLanguage}
            </button>
            {info.role !== 'participant' && <PresentButton onPresent={() => present(true)} />}
          </div>
          {info.role === 'facilitator' && (
            <Suspense fallback={<PanelHeadings />}>
              <PeoplePanel boardId={info.id} token={token} />
              <InvitationsPanel boardId={info.id} token={token} title={meta.title || info.title} />
              <ExchangePanel
                boardId={info.id}
                token={token}
                template={meta.template}
                title={meta.title || info.title}
              />
            </Suspense>
          )}
          <BoardLifePanel session={session} role={info.role} token={token} title={meta.title || info.title} />
          <PhaseBar
            doc={session.doc}
            facilitation={facilitation}
            isFacilitator={info.role === 'facilitator'}
          />
          <Timer doc={session.doc} isFacilitator={info.role === 'facilitator'} />
          {info.role === 'facilitator' &&
            (facilitation.phase === 'stemmen' || facilitation.phase === 'selecteren') && (
              <Suspense fallback={null}>
                <VotingSettingsPanel doc={session.doc} boardId={info.id} token={token} />
              </Suspense>
            )}
          {info.role === 'observer' && <p className="hint">{t.readOnly}</p>}
          {rejected && (
            <p className="problem" role="alert">
              {rejected === 'full' ? t.boardFull : t.rejected}
            </p>
          )}
          <RescuedTexts session={session} />
        </header>
        <VotesLeft />
        <main id="cards" tabIndex={-1} className={`board-main board-main-${view}`}>
          {!state.loaded ? (
            <p className="loading">{t.loading}</p>
          ) : view === 'list' ? (
            <ListView
              doc={session.doc}
              template={meta.template}
              phase={facilitation.phase}
              can={can}
              peers={peers}
              onOpen={openCard}
            />
          ) : (
            <Suspense fallback={<p className="loading">{t.loading}</p>}>
              {view === 'canvas' ? (
                <Canvas
                  session={session}
                  template={meta.template}
                  phase={facilitation.phase}
                  can={can}
                  peers={peers}
                  licenseKey={config.tldrawLicenseKey ?? undefined}
                  openCardId={detail?.id ?? null}
                  onOpen={openCard}
                />
              ) : view === 'results' ? (
                <ResultsView
                  doc={session.doc}
                  template={meta.template}
                  title={meta.title || info.title}
                  canMove={can('card.lane')}
                  onOpen={openCard}
                />
              ) : view === 'matrix' ? (
                <MatrixView
                  doc={session.doc}
                  template={meta.template}
                  title={meta.title || info.title}
                  canEdit={can('card.content')}
                  onOpen={openCard}
                />
              ) : (
                <PlanningView
                  doc={session.doc}
                  template={meta.template}
                  title={meta.title || info.title}
                  onOpen={openCard}
                />
              )}
            </Suspense>
          )}
        </main>
        {detail && (
          <CardDetail
            key={detail.id}
            doc={session.doc}
            cardId={detail.id}
            focusField={detail.focus}
            template={meta.template}
            can={can}
            merge={info.role === 'facilitator' ? merge : undefined}
            onEditing={onEditing}
            onOpen={(id) => openCard(id)}
            onClose={closeCard}
          />
        )}
      </div>
      {presenting && (
        <Suspense fallback={<p className="loading">{t.loading}</p>}>
          <Presentation
            doc={session.doc}
            title={meta.title || info.title}
            template={meta.template}
            onClose={() => present(false)}
          />
        </Suspense>
      )}
    </VotingProvider>
  )
}

/**
 * The facilitator's panels come in a chunk of their own (lazyParts.tsx), often after the board has
 * rendered. Until then their headings stand where the panels will be, so the header does not grow and
 * push the board down when they arrive. Inert: nothing to open yet, and not in the accessibility tree.
 */
function PanelHeadings() {
  const { t } = useI18n()
  return (
    <>
      {[t.people, t.invitations, t.exchange].map((heading) => (
        <details key={heading} className="panel-waiting" inert>
          <summary>{heading}</summary>
        </details>
      ))}
    </>
  )
}
