import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import { messageSync, type WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

type UpdateListener = (update: Uint8Array, origin: unknown, doc: Y.Doc, transaction?: Y.Transaction) => void

/**
 * Applies `update` as Y.applyUpdate does, then hands every 'update' listener the bytes as received,
 * instead of letting Yjs encode the whole change again for them. For a board's first sync that
 * encoding is a third of the apply (300 cards: about 60 ms of 210 on a laptop-class CPU, four times
 * that on a phone), and its only readers here are this browser's copy (which stores the bytes) and
 * listeners that ignore the server's changes. The bytes received hold the same change, or more (items
 * the doc already had, applied again harmlessly wherever they go).
 *
 * Yjs encodes an update only when the doc has 'update' listeners: they are set aside (lib0's
 * `_observers`) for the apply and called after it, in the order Yjs would call them — after the
 * observers and 'afterTransaction'. When the doc's listeners cannot be set aside, it is Y.applyUpdate.
 */
export function applyWithoutReencoding(doc: Y.Doc, update: Uint8Array, origin: unknown): void {
  const observers = (doc as unknown as { _observers?: Map<string, Set<UpdateListener>> })._observers
  const listeners = observers?.get('update')
  if (!observers || !listeners) {
    Y.applyUpdate(doc, update, origin)
    return
  }
  observers.delete('update')
  // Whether the apply changed the doc, as Yjs decides whether to emit 'update' at all.
  let changed = false
  const noticeChange = (transaction: Y.Transaction) => {
    if (transaction.deleteSet.clients.size > 0) changed = true
    for (const [client, clock] of transaction.afterState)
      if (transaction.beforeState.get(client) !== clock) changed = true
  }
  doc.on('afterTransaction', noticeChange)
  try {
    Y.applyUpdate(doc, update, origin)
  } finally {
    doc.off('afterTransaction', noticeChange)
    // A listener added meanwhile (by an observer) stays, after the ones set aside.
    const added = observers.get('update')
    observers.set('update', added ? new Set([...listeners, ...added]) : listeners)
  }
  if (!changed) return
  for (const listener of [...listeners]) listener(update, origin, doc)
}

/**
 * The stock provider's sync handler, except that a sync step 2 or update of at least `minBytes` (the
 * board's first sync, or catching up after a while offline) is applied without being encoded again
 * (applyWithoutReencoding). Smaller ones — everyday edits — take the stock path unchanged.
 */
export function applyLargeSyncsWithoutReencoding(provider: WebsocketProvider, minBytes = 32 * 1024): void {
  const stock = provider.messageHandlers[messageSync]
  if (!stock) return
  provider.messageHandlers[messageSync] = (encoder, decoder, provider, emitSynced, messageType) => {
    const peek = decoding.clone(decoder)
    const kind = decoding.readVarUint(peek)
    const isUpdate = kind === syncProtocol.messageYjsSyncStep2 || kind === syncProtocol.messageYjsUpdate
    if (!isUpdate || decoding.peekVarUint(peek) < minBytes) {
      stock(encoder, decoder, provider, emitSynced, messageType)
      return
    }
    decoding.readVarUint(decoder)
    const update = decoding.readVarUint8Array(decoder)
    // As the stock handler: the reply starts with the message type, and holds nothing more here.
    encoding.writeVarUint(encoder, messageSync)
    try {
      applyWithoutReencoding(provider.doc, update, provider)
    } catch (error) {
      console.error('Caught error while handling a Yjs update', error)
    }
    if (emitSynced && kind === syncProtocol.messageYjsSyncStep2 && !provider.synced) provider.synced = true
  }
}
