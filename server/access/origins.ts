import type { IncomingMessage } from 'node:http'

/**
 * Which web pages may open a WebSocket to this server. A browser sends the page's `Origin` with every
 * WebSocket upgrade (and cannot fake it), so a page on another site cannot use a visitor's board link
 * (cross-site WebSocket hijacking). Clients that are not browsers send no `Origin` and are let through:
 * they need the board's token like everyone else.
 */
export function originCheck(allowedOrigins: readonly string[], publicUrl: string) {
  const fixed = allowedOrigins.length > 0 ? allowedOrigins : publicUrl ? [originOf(publicUrl)] : []
  return function allowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin
    if (origin === undefined) return true
    const given = originOf(origin)
    if (!given) return false
    if (fixed.length > 0) return fixed.includes(given)
    // Neither ALLOWED_ORIGINS nor PUBLIC_URL: the page must come from the host it connects to.
    const host = req.headers.host?.toLowerCase()
    return host !== undefined && new URL(given).host === host
  }
}

/** `https://Werkbord.example.nl/` → `https://werkbord.example.nl`; '' when it is no http(s) origin. */
function originOf(text: string): string {
  try {
    const url = new URL(text)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin.toLowerCase() : ''
  } catch {
    return ''
  }
}
