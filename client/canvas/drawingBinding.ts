import type { Editor, TLRecord } from 'tldraw'
import type * as Y from 'yjs'
import { CANVAS } from '../../model/layout.js'
import { LocalOrigin } from '../board/session/session.js'
import { ACTION_CARD } from './ActionCardShape.js'

/**
 * Everything people draw beside the cards — pen strokes, sticky notes, text, arrows — is kept as
 * tldraw records in the doc's `canvas` map (record id → record JSON). These are the canvas's own
 * objects, not card data, so each record is last-writer-wins as a whole. Card shapes never go here:
 * they are derived from the cards (cardBinding.ts).
 */
export function bindDrawings(editor: Editor, doc: Y.Doc): () => void {
  const records = doc.getMap<TLRecord>(CANVAS)
  const origin = new LocalOrigin('canvas')
  const isDrawing = (record: TLRecord) =>
    (record.typeName === 'shape' && record.type !== ACTION_CARD) || record.typeName === 'binding'

  const putIntoStore = (list: TLRecord[], removed: string[]) => {
    editor.store.mergeRemoteChanges(() => {
      if (removed.length > 0)
        editor.store.remove(
          removed.filter((id) => editor.store.has(id as TLRecord['id'])) as TLRecord['id'][],
        )
      for (const record of list) {
        try {
          editor.store.put([record])
        } catch {
          // A record another client wrote that this version of the canvas cannot show: leave it in the doc.
        }
      }
    })
  }
  putIntoStore([...records.values()].filter(isDrawing), [])

  const onDoc = (event: Y.YMapEvent<TLRecord>, transaction: Y.Transaction) => {
    if (transaction.origin === origin) return
    const changed: TLRecord[] = []
    const removed: string[] = []
    for (const key of event.keysChanged) {
      const record = records.get(key)
      if (record) {
        if (isDrawing(record)) changed.push(record)
      } else removed.push(key)
    }
    putIntoStore(changed, removed)
  }
  records.observe(onDoc)

  const offListen = editor.store.listen(
    ({ changes }) => {
      const put = [
        ...Object.values(changes.added),
        ...Object.values(changes.updated).map(([, after]) => after),
      ].filter(isDrawing)
      const removed = Object.values(changes.removed).filter(isDrawing)
      if (put.length === 0 && removed.length === 0) return
      doc.transact(() => {
        for (const record of put) records.set(record.id, structuredClone(record))
        for (const record of removed) records.delete(record.id)
      }, origin)
    },
    { source: 'user', scope: 'document' },
  )

  return () => {
    records.unobserve(onDoc)
    offListen()
  }
}
