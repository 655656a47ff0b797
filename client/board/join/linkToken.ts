import { cachedToken } from './boardInfo.js'

const sessionKey = (boardId: string) => `werkbord.token.${boardId}`

/**
 * The token of a board link (`/b/<id>?token=…`). Read from the address once, then taken out of it: a
 * projected screen does not show it and the history entry does not keep it. The tab keeps it (session
 * storage, so a reload works); offline, and when the board is opened again without the token, the
 * token the board's cached info was fetched with is used (boardInfo.ts).
 */
export function takeLinkToken(boardId: string): string | null {
  const url = new URL(location.href)
  const fromLink = url.searchParams.get('token')
  if (fromLink) {
    remember(boardId, fromLink)
    url.searchParams.delete('token')
    history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`)
    return fromLink
  }
  return read(boardId) ?? cachedToken(boardId)
}

function remember(boardId: string, token: string): void {
  try {
    sessionStorage.setItem(sessionKey(boardId), token)
  } catch {
    // Storage refused (private mode, full): the token still works for this page.
  }
}

function read(boardId: string): string | null {
  try {
    return sessionStorage.getItem(sessionKey(boardId))
  } catch {
    return null
  }
}
