import * as Y from 'yjs'
import { ProtocolError } from './protocol.js'

/**
 * Checks that an update is a well-formed Yjs update before it is made durable, by applying it to an
 * empty scratch document (cost grows with the update, not with the board). A corrupt update is refused
 * and never reaches the log, so it can never stop a board from loading.
 */
export function checkUpdate(update: Uint8Array): void {
  const scratch = new Y.Doc({ gc: false })
  try {
    Y.applyUpdate(scratch, update)
  } catch {
    throw new ProtocolError('corrupt Yjs update')
  } finally {
    scratch.destroy()
  }
}
