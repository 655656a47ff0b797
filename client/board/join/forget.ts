/**
 * "Vergeet dit bord op dit apparaat": everything this browser keeps of one board goes. Also used when
 * the server says the board was deleted (close code 4410). Every place the web client stores board data
 * is listed here; a new one must be added (docs/privacy.md, "In the browser").
 */

import { forgetBoard as dropFromMyBoards } from '../../start/myBoards.js'

/** localStorage keys of one board. */
const boardKeys = (boardId: string) => [
  `werkbord.board.${boardId}`, // title, role and the token (boardInfo.ts)
  `werkbord.voter.${boardId}`, // the voter id (voting.tsx)
  `werkbord.rescued.${boardId}`, // texts kept after a refused change (session.ts)
  `werkbord.copy.${boardId}`, // that this browser holds a written copy (localCopy.ts)
  `werkbord.invitations.${boardId}`, // personal links the facilitator made here (InvitationsPanel.tsx)
]

/** localStorage keys not tied to one board that hold personal data: the name (and colour) typed. */
const PERSONAL_KEYS = ['werkbord.name', 'werkbord.color']

/** The board's local copy: y-indexeddb's database (localCopy.ts). */
export const localCopyName = (boardId: string) => `werkbord-${boardId}`

export async function forgetBoard(boardId: string): Promise<void> {
  for (const key of [...boardKeys(boardId), ...PERSONAL_KEYS]) localStorage.removeItem(key)
  dropFromMyBoards(boardId) // its entry (with the facilitator token) in "Mijn borden" (start/myBoards.ts)
  sessionStorage.removeItem(`werkbord.token.${boardId}`)
  await deleteLocalCopy(boardId)
  await forgetCached(boardId)
}

/** Deletes the board's local copy (y-indexeddb's database) from this browser. */
export function deleteLocalCopy(boardId: string): Promise<void> {
  return deleteDatabase(localCopyName(boardId))
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name)
    request.onsuccess = () => resolve()
    request.onerror = () => resolve()
    // Another tab still has the copy open: it is deleted as soon as that tab lets go.
    request.onblocked = () => resolve()
  })
}

/**
 * The service worker keeps only the app shell and assets, but a page it cached was fetched from a
 * board link (the response remembers its address, token included): such entries go too.
 */
async function forgetCached(boardId: string): Promise<void> {
  if (typeof caches === 'undefined') return
  for (const name of await caches.keys()) {
    const cache = await caches.open(name)
    for (const request of await cache.keys()) {
      const response = await cache.match(request)
      if (request.url.includes(boardId) || response?.url.includes(boardId)) await cache.delete(request)
    }
  }
}
