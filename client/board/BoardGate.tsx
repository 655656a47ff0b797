import { lazy, Suspense, useEffect, useState } from 'react'
import { useI18n } from '../i18n.js'
import { fetchBoardInfo } from './join/boardInfo.js'
import { fetchClientConfig } from './join/clientConfig.js'
import { JoinScreen } from './join/JoinScreen.js'
import { rememberedUser, rememberUser } from './session/presence.js'

// The board's code (yjs, the sync, the views) is a chunk of its own, fetched once the join screen
// shows (not before: on a slow phone it would hold the join screen up): it arrives while the user
// types a name. A returning user's page asks for it at once (client/main.ts).
let loaded: typeof import('./BoardApp.js') | null = null
export const loadBoard = () =>
  import('./BoardApp.js').then((module) => {
    loaded = module
    return module
  })
const LazyBoardApp = lazy(() => loadBoard().then((module) => ({ default: module.BoardApp })))

/**
 * A board link: the join screen as soon as the page runs (asking for a name when this browser has
 * none), then the board. Everything else about the board — bad links included — is BoardApp's.
 */
export function BoardGate({ boardId, token }: { boardId: string; token: string | null }) {
  const { t } = useI18n()
  const [named, setNamed] = useState(() => rememberedUser().name !== '')
  const [title, setTitle] = useState<string | null>(null)
  const [invitee, setInvitee] = useState<string | undefined>(undefined)
  const [failed, setFailed] = useState(false)
  const showing = named || failed || title !== null || !token
  useEffect(() => {
    if (!showing) return
    void loadBoard()
    void fetchClientConfig()
  }, [showing])
  useEffect(() => {
    if (named || !token) return
    void fetchBoardInfo(boardId, token).then((result) => {
      if (result.ok) {
        setTitle(result.info.title)
        setInvitee(result.info.invitee?.name)
      } else setFailed(true)
    })
  }, [named, boardId, token])
  if (!named && token && !failed) {
    if (title === null) return <p className="loading">{t.loading}</p>
    return (
      <JoinScreen
        title={title}
        fixedName={invitee}
        onJoin={(chosen) => {
          rememberUser(chosen)
          setNamed(true)
        }}
      />
    )
  }
  // The board's code already here: the board renders at once. Not through the lazy component: its
  // first render would show the fallback, and React holds content that replaces a fallback back for up
  // to 300 ms after the fallback showed (its throttle of Suspense reveals).
  if (loaded) return <loaded.BoardApp boardId={boardId} token={token} />
  return (
    <Suspense fallback={<p className="loading">{t.loading}</p>}>
      <LazyBoardApp boardId={boardId} token={token} />
    </Suspense>
  )
}
