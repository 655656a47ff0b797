import type { Texts } from '../texts.js'

/** What the server answered to a request, once the board-creation right was granted. */
export interface Answer {
  status: number
  body: Record<string, unknown>
}

/** A request needing the board-creation right (BOARD_CREATE_TOKEN, or this machine). */
export type OperatorRequest = (path: string, method: string, payload?: unknown) => Promise<Answer>

export interface OperatorAccessHooks {
  /** The BOARD_CREATE_TOKEN this browser has (typed or kept), or ''. */
  token: () => string
  /** The server wants a token (none or a wrong one was sent): forget the kept one and ask for it. */
  needsToken: () => void
  /** The token worked: keep it. */
  accepted: (token: string) => void
}

/**
 * Sends the kept token with a request that needs the board-creation right. Throws an Error in the
 * interface's words when the right is missing (no token, a wrong one, or not on this machine).
 */
export function operatorRequest(hooks: OperatorAccessHooks, t: Texts): OperatorRequest {
  return async (path, method, payload) => {
    const token = hooks.token().trim()
    const res = await fetch(path, {
      method,
      headers: {
        ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(payload !== undefined ? { body: JSON.stringify(payload) } : {}),
    })
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>
    if (res.status === 401 && body.needsToken) {
      hooks.needsToken()
      throw new Error(token !== '' ? t.createTokenWrong : t.createTokenHelp)
    }
    if (res.status === 403 && body.onlyLocal) {
      throw new Error(t.createOnlyHere)
    }
    if (token) hooks.accepted(token)
    return { status: res.status, body }
  }
}
