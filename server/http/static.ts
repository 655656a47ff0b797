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
export const PAGE_ROUTES = [/^\/$/, /^\/b\/[^/]+$/]

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
    // Nothing under a dot-folder: the build's own records (Vite's manifest in .vite/) are not the site's.
    const parts = path.relative(root, file).split(path.sep)
    if (parts.some((part) => part.startsWith('.'))) return false
    let stat: fs.Stats
    try {
      stat = fs.statSync(file)
    } catch {
      return false
    }
    if (!stat.isFile()) return false
    const immutable = url.pathname.startsWith('/assets/')
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream'
    // A precompressed copy (written at build) when the browser takes it: brotli before gzip.
    const variant = pickEncoding(req.headers['accept-encoding'], (encoding) =>
      fileStat(`${file}${EXTENSION[encoding]}`),
    )
    res.writeHead(200, {
      'content-type': type,
      'content-length': variant ? variant.stat.size : stat.size,
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...(variant ? { 'content-encoding': variant.encoding } : {}),
      // Caches must keep the variants apart for files that have them.
      ...(variant || hasVariant(file) ? { vary: 'Accept-Encoding' } : {}),
      ...securityHeaders,
    })
    if (req.method === 'HEAD') res.end()
    else fs.createReadStream(variant ? `${file}${EXTENSION[variant.encoding]}` : file).pipe(res)
    return true
  }
}

type Encoding = 'br' | 'gzip'
const EXTENSION: Record<Encoding, string> = { br: '.br', gzip: '.gz' }

function fileStat(file: string): fs.Stats | null {
  try {
    const stat = fs.statSync(file)
    return stat.isFile() ? stat : null
  } catch {
    return null
  }
}

function hasVariant(file: string): boolean {
  return fileStat(`${file}.br`) !== null || fileStat(`${file}.gz`) !== null
}

/**
 * The encoding to send, from the request's Accept-Encoding (RFC 9110 §12.5.3: q-values, `*`,
 * `q=0` refuses) and the variants that exist: the preferred one by q, brotli first on a tie.
 */
export function pickEncoding(
  header: string | undefined,
  exists: (encoding: Encoding) => fs.Stats | null,
): { encoding: Encoding; stat: fs.Stats } | null {
  if (!header) return null
  const q = new Map<string, number>()
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';')
    if (!name) continue
    let weight = 1
    for (const param of params) {
      const [key, value] = param.trim().split('=')
      if (key === 'q') weight = Number(value)
    }
    q.set(name, Number.isFinite(weight) ? weight : 0)
  }
  const weight = (encoding: Encoding) =>
    q.get(encoding) ?? (encoding === 'gzip' ? q.get('x-gzip') : undefined) ?? q.get('*') ?? 0
  const candidates = (['br', 'gzip'] as const)
    .filter((encoding) => weight(encoding) > 0)
    .sort((a, b) => weight(b) - weight(a))
  for (const encoding of candidates) {
    const stat = exists(encoding)
    if (stat) return { encoding, stat }
  }
  return null
}

function safeDecode(pathname: string): string {
  try {
    return decodeURIComponent(pathname)
  } catch {
    return '/\u0000'
  }
}
