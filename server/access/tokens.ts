import { createHash, timingSafeEqual } from 'node:crypto'
import { customAlphabet } from 'nanoid'

/** The three roles a board link can grant. */
export type Role = 'facilitator' | 'participant' | 'observer'
export const ROLES: readonly Role[] = ['facilitator', 'participant', 'observer']

export type TokenHashes = Record<Role, string>

// 32 characters of 62 ≈ 190 bits: unguessable, and safe in a URL without escaping.
const newToken = customAlphabet('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 32)
const newId = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 12)

export function generateBoardId(): string {
  return newId()
}

export function generateTokens(): Record<Role, string> {
  return { facilitator: newToken(), participant: newToken(), observer: newToken() }
}

/** Tokens are long random secrets, so one SHA-256 is a sound way to store them. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

export function hashTokens(tokens: Record<Role, string>): TokenHashes {
  return {
    facilitator: hashToken(tokens.facilitator),
    participant: hashToken(tokens.participant),
    observer: hashToken(tokens.observer),
  }
}

/** The role a token grants on a board, comparing in constant time; null when it grants none. */
export function roleFor(hashes: TokenHashes | undefined, token: string): Role | null {
  const given = Buffer.from(hashToken(token), 'hex')
  let role: Role | null = null
  for (const candidate of ROLES) {
    // Compare against a dummy when the board does not exist, so timing does not tell.
    const stored = Buffer.from(hashes?.[candidate] ?? '0'.repeat(64), 'hex')
    if (stored.length === given.length && timingSafeEqual(stored, given) && hashes) role = candidate
  }
  return role
}

const BOARD_ID = /^[A-Za-z0-9_-]{1,64}$/

export function isValidBoardId(id: string): boolean {
  return BOARD_ID.test(id)
}
