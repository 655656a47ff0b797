/**
 * What follows the request line of a hand-written WebSocket upgrade to the server on `port`: the
 * headers and the blank line. Tests that need a raw socket (no client library) send
 * `GET <path> HTTP/1.1` and then this.
 */
export function upgradeHeaders(port: number | string): string {
  return [
    '',
    `Host: 127.0.0.1:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
    '',
    '',
  ].join('\r\n')
}

/** A whole hand-written upgrade request for `path` (e.g. `/sync/<board>?token=…`). */
export function upgradeRequest(port: number | string, path: string): string {
  return `GET ${path} HTTP/1.1${upgradeHeaders(port)}`
}
