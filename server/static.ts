import fs from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import path from 'node:path'
import { securityHeaders } from './http.js'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
}

/** Pages of the single-page client: the start page and every board link. */
const PAGE_ROUTES = [/^\/$/, /^\/b\/[^/]+$/]

/**
 * Serves the built client from `dir`. Everything comes from this origin (no CDN), and pages forbid
 * anything else via Content-Security-Policy; board links carry tokens, so no Referer ever leaves.
 */
export function createStatic(dir: string) {
  const root = path.resolve(dir)
  return function serve(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false
    const isPage = PAGE_ROUTES.some((route) => route.test(url.pathname))
    const file = isPage ? path.join(root, 'index.html') : path.join(root, safeDecode(url.pathname))
    if (!file.startsWith(root + path.sep)) return false
    let stat: fs.Stats
    try {
      stat = fs.statSync(file)
    } catch {
      return false
    }
    if (!stat.isFile()) return false
    const immutable = url.pathname.startsWith('/assets/')
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-length': stat.size,
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...securityHeaders,
    })
    if (req.method === 'HEAD') res.end()
    else fs.createReadStream(file).pipe(res)
    return true
  }
}

function safeDecode(pathname: string): string {
  try {
    return decodeURIComponent(pathname)
  } catch {
    return '/\u0000'
  }
}
