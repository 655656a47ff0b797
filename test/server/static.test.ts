import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { precompressDir } from '../../scripts/precompress.js'
import type { App } from '../../server/app.js'
import { projectRoot } from '../../server/paths.js'
import { decodedText, rawRequest } from '../helpers/raw-http.js'
import { startServer, tempDir } from '../helpers/server.js'

/** A raw GET with the Accept-Encoding given. */
const get = (url: string, acceptEncoding?: string, method = 'GET') =>
  rawRequest(url, acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding }, method)
const decoded = decodedText

const script = `export const words = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `actie ${i}`))}\n`

describe('static files, compressed at build', () => {
  let app: App
  let dir: string
  beforeAll(async () => {
    dir = tempDir('werkbord-static-')
    fs.mkdirSync(path.join(dir, 'assets'))
    fs.writeFileSync(path.join(dir, 'index.html'), `<!doctype html><title>W</title>${'<p>x</p>'.repeat(300)}`)
    fs.writeFileSync(path.join(dir, 'assets', 'main-abc.js'), script)
    fs.writeFileSync(path.join(dir, 'assets', 'tiny.js'), 'export {}\n')
    fs.writeFileSync(path.join(dir, 'assets', 'font.woff2'), Buffer.alloc(4096, 7))
    fs.mkdirSync(path.join(dir, '.vite'))
    fs.writeFileSync(path.join(dir, '.vite', 'manifest.json'), '{"index.html":{"file":"assets/main-abc.js"}}')
    precompressDir(dir)
    app = await startServer({ clientDir: dir })
  })
  afterAll(async () => {
    await app?.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('[GZ1] precompressing writes brotli and gzip copies of text files only, each smaller', () => {
    const names = fs.readdirSync(path.join(dir, 'assets')).sort()
    expect(names).toEqual(['font.woff2', 'main-abc.js', 'main-abc.js.br', 'main-abc.js.gz', 'tiny.js'])
    const raw = fs.statSync(path.join(dir, 'assets', 'main-abc.js')).size
    expect(fs.statSync(path.join(dir, 'assets', 'main-abc.js.br')).size).toBeLessThan(raw / 3)
    expect(fs.statSync(path.join(dir, 'assets', 'main-abc.js.gz')).size).toBeLessThan(raw / 3)
  })

  it('[GZ2] the server sends the encoding the browser takes, brotli first, with Vary and the right type', async () => {
    const url = `${app.url}/assets/main-abc.js`
    const cases: [string | undefined, string | undefined][] = [
      ['gzip, deflate, br, zstd', 'br'], // what Chromium sends
      ['gzip, deflate', 'gzip'],
      ['br;q=0, gzip', 'gzip'],
      ['gzip;q=0.5, br;q=0.4', 'gzip'],
      ['*', 'br'],
      ['*;q=0, identity', undefined],
      ['identity', undefined],
      ['', undefined],
      [undefined, undefined],
    ]
    for (const [accept, expected] of cases) {
      const answer = await get(url, accept)
      expect(answer.status, String(accept)).toBe(200)
      expect(answer.headers['content-encoding'], String(accept)).toBe(expected)
      expect(answer.headers.vary, String(accept)).toBe('Accept-Encoding')
      expect(answer.headers['content-type']).toBe('text/javascript; charset=utf-8')
      expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable')
      expect(Number(answer.headers['content-length'])).toBe(answer.body.length)
      expect(decoded(answer)).toBe(script)
    }
  })

  it('[GZ3] pages (the app shell) come compressed too; HEAD gives the compressed length', async () => {
    const page = await get(`${app.url}/b/someboard`, 'gzip, deflate, br')
    expect(page.headers['content-encoding']).toBe('br')
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(page.headers['cache-control']).toBe('no-cache')
    expect(page.headers['content-security-policy']).toContain("default-src 'self'")
    expect(decoded(page)).toContain('<title>W</title>')
    const head = await get(`${app.url}/b/someboard`, 'gzip', 'HEAD')
    expect(head.headers['content-encoding']).toBe('gzip')
    expect(Number(head.headers['content-length'])).toBe(fs.statSync(path.join(dir, 'index.html.gz')).size)
    expect(head.body.length).toBe(0)
  })

  it('[GZ4] files without a compressed copy go out as they are, without Vary', async () => {
    for (const file of ['tiny.js', 'font.woff2']) {
      const answer = await get(`${app.url}/assets/${file}`, 'gzip, br')
      expect(answer.headers['content-encoding']).toBeUndefined()
      expect(answer.headers.vary).toBeUndefined()
    }
    // The copies are not a way around the page routes: asking for one by name gives the bytes as stored.
    const stored = await get(`${app.url}/assets/main-abc.js.gz`)
    expect(stored.headers['content-type']).toBe('application/octet-stream')
  })

  it('[GZ6] the build’s records under a dot-folder (Vite’s manifest) are not served, however the path is written', async () => {
    for (const route of ['/.vite/manifest.json', '/%2evite/manifest.json', '/assets/../.vite/manifest.json'])
      expect((await get(`${app.url}${route}`, 'gzip, br')).status, route).toBe(404)
  })

  it('[GZ5] the real build: every script and the page shell have brotli and gzip copies', async () => {
    const client = path.join(projectRoot, 'dist/client')
    expect(fs.existsSync(path.join(client, 'index.html')), 'run `npm run build` first').toBe(true)
    const scripts = fs.readdirSync(path.join(client, 'assets')).filter((name) => name.endsWith('.js'))
    expect(scripts.length).toBeGreaterThan(0)
    for (const name of [...scripts.map((s) => `assets/${s}`), 'index.html']) {
      const raw = fs.statSync(path.join(client, name)).size
      if (raw < 1024) continue
      expect(fs.statSync(path.join(client, `${name}.br`)).size, name).toBeLessThan(raw)
      expect(fs.statSync(path.join(client, `${name}.gz`)).size, name).toBeLessThan(raw)
    }
    const real = await startServer()
    try {
      const html = decoded(await get(`${real.url}/`, 'gzip, deflate, br'))
      const main = html.match(/src="(\/assets\/index-[^"]+\.js)"/)?.[1]
      expect(main).toBeDefined()
      const answer = await get(`${real.url}${main}`, 'gzip, deflate, br, zstd')
      expect(answer.headers['content-encoding']).toBe('br')
      expect(decoded(answer)).toBe(fs.readFileSync(path.join(client, main as string), 'utf8'))
    } finally {
      await real.close()
    }
  })
})
