import type { IncomingMessage } from 'node:http'
import net from 'node:net'

/**
 * Who is asking: the client's address for per-address limits, and whether a request comes from this
 * machine itself (what an unset BOARD_CREATE_TOKEN or METRICS_TOKEN allows).
 */
export class ClientAddresses {
  private readonly proxies: Set<string>

  /** `trustProxy`: addresses of reverse proxies whose `X-Forwarded-For` is believed. */
  constructor(trustProxy: readonly string[]) {
    this.proxies = new Set(trustProxy.map(normalise))
  }

  /**
   * The client's address: the TCP peer, or — when the peer is a trusted proxy — the last address in
   * `X-Forwarded-For` that is not itself a trusted proxy (the one the proxy saw).
   */
  of(req: IncomingMessage): string {
    const peer = normalise(req.socket.remoteAddress ?? '')
    if (!this.proxies.has(peer)) return peer
    const forwarded = headerList(req.headers['x-forwarded-for']).map(normalise)
    for (let i = forwarded.length - 1; i >= 0; i--) {
      const address = forwarded[i] as string
      if (!this.proxies.has(address)) return address
    }
    return peer
  }

  /**
   * A request made on this machine: from a loopback address, not relayed by a proxy (no forwarding
   * header), and, from a browser, from a page on a loopback host. A reverse proxy on the same machine
   * relays public requests from a loopback address: they carry a forwarding header, or a browser's
   * `Origin` of the public host.
   */
  isLocal(req: IncomingMessage): boolean {
    if (!isLoopback(this.of(req))) return false
    const { headers } = req
    if (headers.forwarded || headers['x-forwarded-for'] || headers['x-real-ip']) return false
    const origin = headers.origin
    if (origin === undefined) return true
    try {
      return isLoopbackHost(new URL(origin).hostname)
    } catch {
      return false
    }
  }
}

export function isLoopback(address: string): boolean {
  const plain = normalise(address)
  return plain === '::1' || (net.isIPv4(plain) && plain.startsWith('127.'))
}

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return host === 'localhost' || host.endsWith('.localhost') || isLoopback(host)
}

/** `::ffff:127.0.0.1` → `127.0.0.1`; lower case. */
function normalise(address: string): string {
  const lower = address.trim().toLowerCase()
  return lower.startsWith('::ffff:') && net.isIPv4(lower.slice(7)) ? lower.slice(7) : lower
}

function headerList(value: string | string[] | undefined): string[] {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '')
  return joined
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
}
