import { useEffect, useRef, useState } from 'react'
import type { Editor } from 'tldraw'
import type { WebsocketProvider } from 'y-websocket'
import { type Peer, setPresence } from '../board/session/presence.js'
import { BUTTON } from '../controls.js'
import { useI18n } from '../i18n.js'

/**
 * "Volg mij" and "Breng iedereen hierheen". The facilitator shares the camera through presence;
 * participants follow a peer whose role the server stamped as facilitator, and can step out.
 */
export function Follow(props: {
  editor: Editor | null
  provider: WebsocketProvider
  peers: Peer[]
  isFacilitator: boolean
}) {
  const { t } = useI18n()
  const { editor, provider, peers, isFacilitator } = props
  const [leading, setLeading] = useState(false)
  const [steppedOut, setSteppedOut] = useState(false)
  const summoned = useRef<string | null>(null)

  // Facilitator: publish the camera while leading.
  useEffect(() => {
    if (!editor || !isFacilitator) return
    if (!leading) {
      setPresence(provider, { follow: null })
      return
    }
    let last = ''
    const publish = () => {
      const { x, y, z } = editor.getCamera()
      const key = `${Math.round(x)}:${Math.round(y)}:${z.toFixed(3)}`
      if (key === last) return
      last = key
      setPresence(provider, { follow: { x, y, z } })
    }
    publish()
    const timer = setInterval(publish, 150)
    return () => clearInterval(timer)
  }, [editor, provider, isFacilitator, leading])

  const leader = peers.find((peer) => !peer.self && peer.role === 'facilitator' && peer.follow)
  const camera = leader?.follow
  useEffect(() => {
    if (!editor || isFacilitator || !camera || steppedOut) return
    editor.setCamera(camera, { animation: { duration: 150 } })
  }, [editor, isFacilitator, camera, steppedOut])

  const summon = peers.find((peer) => !peer.self && peer.role === 'facilitator' && peer.summon)?.summon
  useEffect(() => {
    if (!editor || isFacilitator || !summon || summoned.current === summon.nonce) return
    summoned.current = summon.nonce
    editor.setCamera(summon, { animation: { duration: 300 } })
  }, [editor, isFacilitator, summon])

  if (isFacilitator) {
    return (
      <div className="follow">
        <button
          className={BUTTON}
          type="button"
          data-action="follow-me"
          aria-pressed={leading}
          onClick={() => setLeading(!leading)}
        >
          {leading ? t.stopFollowMe : t.followMe}
        </button>
        <button
          className={BUTTON}
          type="button"
          data-action="bring-here"
          onClick={() => {
            if (!editor) return
            const { x, y, z } = editor.getCamera()
            setPresence(provider, { summon: { nonce: crypto.randomUUID(), x, y, z } })
          }}
        >
          {t.bringHere}
        </button>
      </div>
    )
  }
  if (!leader) return null
  return (
    <div className="follow" data-following={!steppedOut}>
      {!steppedOut && <span>{t.following(leader.user.name)}</span>}
      <button
        className={BUTTON}
        type="button"
        data-action="step-out"
        onClick={() => setSteppedOut(!steppedOut)}
      >
        {steppedOut ? t.resumeFollowing : t.stopFollowing}
      </button>
    </div>
  )
}
