/** BOARD_CREATE_TOKEN as this browser keeps it (`localStorage`, `werkbord.createToken`): asked for once. */
const CREATE_TOKEN_KEY = 'werkbord.createToken'

export function readCreateToken(): string {
  try {
    return localStorage.getItem(CREATE_TOKEN_KEY) ?? ''
  } catch {
    return ''
  }
}

export function keepCreateToken(token: string): void {
  try {
    localStorage.setItem(CREATE_TOKEN_KEY, token)
  } catch {
    // not kept: asked for again next time
  }
}

export function forgetCreateToken(): void {
  try {
    localStorage.removeItem(CREATE_TOKEN_KEY)
  } catch {
    // nothing kept
  }
}
