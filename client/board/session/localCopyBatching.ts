import type { IndexeddbPersistence } from 'y-indexeddb'
import * as Y from 'yjs'

/**
 * y-indexeddb writes every update in its own IndexedDB transaction. Updates from the server (`remote`
 * origin) are already kept there, so they are written here in batches instead: merged into one update
 * at most `ms` after the first of them. While five people type that is 4 transactions a second instead
 * of 25. This user's own changes are written at once, as before (pending remote ones first), so the
 * page's "saved in this browser" still means what it says. Returns a stop function that writes what is
 * pending and restores nothing: call it before the persistence is destroyed.
 */
export function batchRemoteWrites(
  local: IndexeddbPersistence,
  doc: Y.Doc,
  remote: unknown,
  ms = 250,
): () => void {
  const store = local._storeUpdate
  doc.off('update', store)
  let pending: Uint8Array[] = []
  let timer: ReturnType<typeof setTimeout> | null = null
  const flush = () => {
    if (timer !== null) clearTimeout(timer)
    timer = null
    if (pending.length === 0) return
    const merged = pending.length === 1 ? (pending[0] as Uint8Array) : Y.mergeUpdates(pending)
    pending = []
    store(merged, null)
  }
  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === local) return
    if (origin !== remote) {
      flush()
      store(update, origin)
      return
    }
    pending.push(update)
    timer ??= setTimeout(flush, ms)
  }
  doc.on('update', onUpdate)
  return () => {
    flush()
    doc.off('update', onUpdate)
  }
}
