import { useSyncExternalStore } from 'react'
import type { WebsocketProvider } from 'y-websocket'

// Name and colour live in user.ts: the join screen needs them before React and the board's code load.
export { COLORS, rememberedUser, rememberUser } from './user.js'

/** What one browser shares with the others. Only this: no token, no role secrets. */
export interface Presence {
  user: { name: string; color: string }
  /** The card whose field has this user's focus. */
  editing?: string | null
  /** Pointer on the canvas, in page coordinates. */
  cursor?: { x: number; y: number } | null
  /** Set by the server from the connection's link: trustworthy, unlike the rest. */
  role?: 'facilitator' | 'participant' | 'observer'
  /** The facilitator's camera while "Volg mij" is on. */
  follow?: { x: number; y: number; z: number } | null
  /** "Breng iedereen hierheen": a camera to go to once per nonce. */
  summon?: { nonce: string; x: number; y: number; z: number } | null
}

/** Someone on the board, as the views show them: everything of their presence but the pointer. */
export interface Peer extends Omit<Presence, 'cursor'> {
  clientId: number
  self: boolean
}

export function setPresence(provider: WebsocketProvider, patch: Partial<Presence>): void {
  const current = (provider.awareness.getLocalState() ?? {}) as Partial<Presence>
  provider.awareness.setLocalState({ ...current, ...patch })
}

/**
 * Everyone online on this board (with a name), this browser first. The same array until something
 * but a pointer changes: others moving their pointers on the canvas do not re-render the board.
 */
export function usePeers(provider: WebsocketProvider): Peer[] {
  return useSyncExternalStore(
    (onChange) => {
      provider.awareness.on('change', onChange)
      return () => provider.awareness.off('change', onChange)
    },
    () => peersOf(provider),
  )
}

const cache = new WeakMap<WebsocketProvider, { key: string; peers: Peer[] }>()

function peersOf(provider: WebsocketProvider): Peer[] {
  const self = provider.awareness.clientID
  const peers: Peer[] = []
  for (const [clientId, state] of provider.awareness.getStates()) {
    const presence = state as Partial<Presence>
    if (!presence.user || typeof presence.user.name !== 'string' || presence.user.name === '') continue
    // Without the pointer: it moves a dozen times a second per person on the canvas, and the canvas
    // draws it from awareness itself (presenceBinding.ts); the board re-renders only for the rest.
    const { cursor: _pointer, ...shown } = presence as Presence
    peers.push({ ...shown, clientId, self: clientId === self })
  }
  peers.sort((a, b) => Number(b.self) - Number(a.self) || a.user.name.localeCompare(b.user.name))
  const key = JSON.stringify(peers)
  const cached = cache.get(provider)
  if (cached && cached.key === key) return cached.peers
  cache.set(provider, { key, peers })
  return peers
}
