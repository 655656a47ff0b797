import crypto from 'node:crypto'
import fs from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import path from 'node:path'
import zlib from 'node:zlib'
import { securityHeaders } from './http.js'
import { PAGE_ROUTES, pickEncoding } from './static.js'

/** Largest THEME_CSS accepted: a design-token file is a few kB; this keeps pages from blocking on megabytes. */
export const MAX_THEME_BYTES = 1024 * 1024

/** The organisation's design-token CSS (THEME_CSS), read and checked once at start. */
export interface Theme {
  /** The file as read, and compressed once. */
  css: Variants
  /** Strong ETag of the file's content. */
  etag: string
  /** What every page links, after the app's own CSS: the version in the query refreshes caches on change. */
  href: string
  /** THEME_ASSETS: a folder whose files (fonts, logos) are served under /theme-assets/; empty: none. */
  assetsDir: string
}

/**
 * Reads THEME_CSS (and checks THEME_ASSETS) at start: a missing or unreadable path, a folder, a too large or
 * non-UTF-8 file stops the server with a message naming the setting, instead of pages that silently
 * lose the organisation's look. Returns null when THEME_CSS is unset.
 */
export function loadTheme(themeCss: string, themeAssets: string): Theme | null {
  if (themeAssets) {
    let stat: fs.Stats
    try {
      stat = fs.statSync(themeAssets)
    } catch (error) {
      throw new Error(`THEME_ASSETS: cannot read folder ${themeAssets} (${(error as Error).message})`)
    }
    if (!stat.isDirectory()) throw new Error(`THEME_ASSETS: ${themeAssets} is not a folder`)
  }
  if (!themeCss) {
    if (themeAssets)
      throw new Error('THEME_ASSETS is set but THEME_CSS is not: the assets would never be used')
    return null
  }
  let css: Buffer
  try {
    const stat = fs.statSync(themeCss)
    if (!stat.isFile()) throw new Error('not a file')
    if (stat.size > MAX_THEME_BYTES)
      throw new Error(`${stat.size} bytes, more than the ${MAX_THEME_BYTES} bytes (1 MiB) allowed`)
    css = fs.readFileSync(themeCss)
  } catch (error) {
    throw new Error(`THEME_CSS: cannot use ${themeCss} (${(error as Error).message})`)
  }
  if (css.length > MAX_THEME_BYTES)
    throw new Error(`THEME_CSS: ${themeCss} is larger than the ${MAX_THEME_BYTES} bytes (1 MiB) allowed`)
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(css)
  } catch {
    throw new Error(`THEME_CSS: ${themeCss} is not UTF-8 text`)
  }
  const hash = crypto.createHash('sha256').update(css).digest('base64url')
  return {
    css: compressed(css),
    etag: `"${hash.slice(0, 27)}"`,
    href: `/theme.css?v=${hash.slice(0, 12)}`,
    assetsDir: themeAssets ? path.resolve(themeAssets) : '',
  }
}

const ASSET_TYPES: Record<string, string> = {
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
}

/**
 * Serves `/theme.css` (404 without a theme), `/theme-assets/…`, and — with a theme — the pages of the
 * single-page client with a link to the theme after the app's stylesheet, so the organisation's tokens
 * win over the defaults in client/styles.css. Without a theme the pages stay as built (static.ts).
 */
export function createThemeServer(theme: Theme | null, clientDir: string) {
  const pages = theme ? new ThemedPages(path.join(clientDir, 'index.html'), theme.href) : null
  return function serve(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false
    if (url.pathname === '/theme.css') {
      if (!theme) return false
      sendVariants(req, res, 'text/css; charset=utf-8', theme.css, theme.etag)
      return true
    }
    if (url.pathname.startsWith('/theme-assets/'))
      return theme?.assetsDir ? serveAsset(req, res, url, theme.assetsDir) : false
    if (pages && PAGE_ROUTES.some((route) => route.test(url.pathname))) {
      const page = pages.current()
      if (!page) return false
      sendVariants(req, res, 'text/html; charset=utf-8', page, null)
      return true
    }
    return false
  }
}

interface Variants {
  plain: Buffer
  br: Buffer
  gzip: Buffer
}

function compressed(plain: Buffer): Variants {
  return {
    plain,
    br: zlib.brotliCompressSync(plain, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }),
    gzip: zlib.gzipSync(plain, { level: 9 }),
  }
}

function sendVariants(
  req: IncomingMessage,
  res: ServerResponse,
  type: string,
  body: Variants,
  etag: string | null,
): void {
  const plain = body.plain
  const headers: Record<string, string | number> = {
    'content-type': type,
    'cache-control': 'no-cache',
    vary: 'Accept-Encoding',
    ...securityHeaders,
  }
  if (etag) {
    headers.etag = etag
    if (matches(req.headers['if-none-match'], etag)) {
      res.writeHead(304, headers)
      res.end()
      return
    }
  }
  const variant = pickEncoding(req.headers['accept-encoding'], (encoding) =>
    body[encoding].length < plain.length ? ({ size: body[encoding].length } as fs.Stats) : null,
  )
  const bytes = variant ? body[variant.encoding] : plain
  res.writeHead(200, {
    ...headers,
    'content-length': bytes.length,
    ...(variant ? { 'content-encoding': variant.encoding } : {}),
  })
  res.end(req.method === 'HEAD' ? undefined : bytes)
}

/** If-None-Match (RFC 9110 §13.1.2): a list of tags, weak ones compared weakly, or `*`. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false
  return header.split(',').some((tag) => {
    const trimmed = tag.trim()
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag
  })
}

/** The built index.html with the theme's link before </head>, compressed; rebuilt when the build changes. */
class ThemedPages {
  private cached: { key: string; page: Variants } | null = null

  constructor(
    private readonly file: string,
    private readonly href: string,
  ) {}

  current(): Variants | null {
    let stat: fs.Stats
    try {
      stat = fs.statSync(this.file)
    } catch {
      return null
    }
    const key = `${stat.mtimeMs}:${stat.size}`
    if (this.cached?.key === key) return this.cached.page
    const html = fs.readFileSync(this.file, 'utf8')
    const link = `<link rel="stylesheet" href="${this.href}">`
    const themed = Buffer.from(
      html.includes('</head>') ? html.replace('</head>', `  ${link}\n  </head>`) : `${link}${html}`,
    )
    const page = compressed(themed)
    this.cached = { key, page }
    return page
  }
}

function serveAsset(req: IncomingMessage, res: ServerResponse, url: URL, dir: string): boolean {
  let name: string
  try {
    name = decodeURIComponent(url.pathname.slice('/theme-assets/'.length))
  } catch {
    return false
  }
  const type = ASSET_TYPES[path.extname(name).toLowerCase()]
  const file = path.join(dir, name)
  if (!type || name.includes('\0') || !file.startsWith(dir + path.sep)) return false
  let stat: fs.Stats
  try {
    stat = fs.statSync(file)
  } catch {
    return false
  }
  if (!stat.isFile()) return false
  const etag = `"${stat.size.toString(36)}-${Math.floor(stat.mtimeMs).toString(36)}"`
  const headers = { 'content-type': type, 'cache-control': 'no-cache', etag, ...securityHeaders }
  if (matches(req.headers['if-none-match'], etag)) {
    res.writeHead(304, headers)
    res.end()
    return true
  }
  res.writeHead(200, { ...headers, 'content-length': stat.size })
  if (req.method === 'HEAD') res.end()
  else fs.createReadStream(file).pipe(res)
  return true
}
