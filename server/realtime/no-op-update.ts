import * as Y from 'yjs'
import type { UpdateShape } from '../rules/update-check.js'
import type { DecodedUpdate } from '../rules/update-scope.js'

/**
 * Whether applying an update would change nothing: each of its structs is already known (stored, or
 * accepted and being stored: `knownUpTo`) and each of its deletions hits content the doc already has
 * deleted. A stock client's sync answer is like that on every join of a board with deletions (it
 * carries the client's whole delete set); such an update is neither stored nor relayed.
 *
 * `decode` is called only once the structs are known, to read the deletions.
 */
export function changesNothing(
  doc: Y.Doc,
  shape: UpdateShape,
  knownUpTo: (client: number) => number,
  decode: () => DecodedUpdate,
): boolean {
  for (const [client, ranges] of shape.structs) {
    const last = ranges[ranges.length - 1]
    if (last && last[1] > knownUpTo(client)) return false
  }
  for (const [client, deletes] of decode().ds.clients) {
    const state = Y.getState(doc.store, client)
    const structs = doc.store.clients.get(client) as Y.AbstractStruct[] | undefined
    for (const { clock, len } of deletes) {
      // Content not applied yet (being stored) or unknown: let the usual checks and storage handle it.
      if (clock + len > state || !structs) return false
      for (let i = Y.findIndexSS(structs as never, clock); i < structs.length; i++) {
        const struct = structs[i] as Y.AbstractStruct
        if (struct.id.clock >= clock + len) break
        if (struct instanceof Y.Item && !struct.deleted) return false
      }
    }
  }
  return true
}
