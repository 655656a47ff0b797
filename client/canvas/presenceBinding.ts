import { createUserId, type Editor, InstancePresenceRecordType, type TLInstancePresence } from 'tldraw'
import type { WebsocketProvider } from 'y-websocket'
import { type Presence, setPresence } from '../board/session/presence.js'

/**
 * Live cursors: this user's pointer goes into awareness (page coordinates, a few times a second at
 * most), and everyone else's comes out of awareness as tldraw presence records, drawn by tldraw.
 */
export function bindPresence(editor: Editor, provider: WebsocketProvider): () => void {
  const awareness = provider.awareness
  let last = 0
  let timer: ReturnType<typeof setTimeout> | null = null
  const publish = () => {
    timer = null
    last = Date.now()
    const { x, y } = editor.inputs.getCurrentPagePoint()
    setPresence(provider, { cursor: { x: Math.round(x), y: Math.round(y) } })
  }
  const onEvent = (info: { type: string; name: string }) => {
    if (info.type !== 'pointer' || info.name !== 'pointer_move' || timer) return
    timer = setTimeout(publish, Math.max(0, 80 - (Date.now() - last)))
  }
  editor.on('event', onEvent)

  const recordId = (clientId: number) => InstancePresenceRecordType.createId(String(clientId))
  const shown = new Set<number>()
  const render = () => {
    const pageId = editor.getCurrentPageId()
    const put: TLInstancePresence[] = []
    const present = new Set<number>()
    for (const [clientId, state] of awareness.getStates()) {
      const presence = state as Partial<Presence>
      if (clientId === awareness.clientID || !presence.user?.name || !presence.cursor) continue
      present.add(clientId)
      put.push(
        InstancePresenceRecordType.create({
          id: recordId(clientId),
          userId: createUserId(String(clientId)),
          userName: presence.user.name,
          color: presence.user.color,
          currentPageId: pageId,
          cursor: { x: presence.cursor.x, y: presence.cursor.y, type: 'default', rotation: 0 },
          lastActivityTimestamp: Date.now(),
        }),
      )
    }
    const gone = [...shown].filter((clientId) => !present.has(clientId))
    editor.store.mergeRemoteChanges(() => {
      if (put.length > 0) editor.store.put(put)
      if (gone.length > 0) editor.store.remove(gone.map(recordId))
    })
    shown.clear()
    for (const clientId of present) shown.add(clientId)
  }
  awareness.on('change', render)
  render()

  return () => {
    editor.off('event', onEvent)
    awareness.off('change', render)
    if (timer) clearTimeout(timer)
    setPresence(provider, { cursor: null })
    editor.store.mergeRemoteChanges(() => editor.store.remove([...shown].map(recordId)))
  }
}
