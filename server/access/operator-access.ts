import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { ClientAddresses } from './client-address.js'

export type OperatorAccess = 'allowed' | 'needs-token' | 'only-local'

/**
 * Who may use an operator route (creating boards: BOARD_CREATE_TOKEN; metrics: METRICS_TOKEN). With
 * the secret set: whoever sends it as `Authorization: Bearer <secret>`, from anywhere. Without: only a
 * request made on the server's own machine (client-address.ts), so that `npm start` on a laptop works
 * and nothing is open to the network by default.
 */
export function operatorAccess(
  req: IncomingMessage,
  secret: string,
  addresses: ClientAddresses,
): OperatorAccess {
  if (secret) {
    const given = req.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1]
    return given !== undefined && sameSecret(given, secret) ? 'allowed' : 'needs-token'
  }
  return addresses.isLocal(req) ? 'allowed' : 'only-local'
}

/** Compared as hashes, in constant time: no timing tells how much of a guess was right. */
function sameSecret(given: string, secret: string): boolean {
  const hash = (text: string) => createHash('sha256').update(text, 'utf8').digest()
  return timingSafeEqual(hash(given), hash(secret))
}
