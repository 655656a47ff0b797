import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { once } from './wait.js'

export interface TestClient {
  doc: Y.Doc
  provider: WebsocketProvider
  /** Resolves when the first sync with the server has completed. */
  synced: Promise<void>
  destroy(): void
}

// Each stock provider in Node adds a process 'exit' listener (to say goodbye in awareness) and removes
// it on destroy; a test with 50 clients in one process is not a leak, so Node's warning at 11 is lifted.
process.setMaxListeners(Math.max(process.getMaxListeners(), 500))

/** A stock y-websocket client, exactly as an integrator would create it. */
export function connectClient(
  baseUrl: string,
  boardId: string,
  token: string,
  doc = new Y.Doc(),
): TestClient {
  const provider = new WebsocketProvider(`${baseUrl.replace(/^http/, 'ws')}/sync`, boardId, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
  })
  const synced = provider.synced
    ? Promise.resolve()
    : once(provider, 'sync', (state: boolean) => state).then(() => {})
  synced.catch(() => {}) // awaited by the tests that expect a sync; others must not see it as unhandled
  return {
    doc,
    provider,
    synced,
    destroy() {
      provider.destroy()
      doc.destroy()
    },
  }
}

/** Resolves with the close code of the provider's next closed connection. */
export async function nextCloseCode(provider: WebsocketProvider): Promise<number | undefined> {
  const [event] = await once<[CloseEvent | null]>(provider as never, 'connection-close')
  return event?.code
}
