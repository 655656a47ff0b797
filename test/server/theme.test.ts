import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../server/app.js'
import { loadConfig } from '../../server/config.js'
import { MAX_THEME_BYTES } from '../../server/http/theme.js'
import { projectRoot } from '../../server/paths.js'
import { decodedText, rawRequest } from '../helpers/raw-http.js'
import { createBoard, startChildServer, startServer, tempDir } from '../helpers/server.js'

const request = rawRequest
const text = decodedText

const exampleTheme = path.join(projectRoot, 'docs/themes/voorbeeld-gemeente.css')
/** The page as vite builds it: the app's stylesheet last in <head>. */
const builtPage =
  '<!doctype html><html lang="nl"><head><title>Werkbord</title>' +
  '<script type="module" src="/assets/index-abc.js"></script>' +
  '<link rel="stylesheet" href="/assets/index-abc.css"></head><body><div id="root"></div></body></html>'

describe('THEME_CSS: the organisation design tokens', () => {
  let dir: string
  let clientDir: string
  let assets: string
  let themed: App
  let plain: App
  beforeAll(async () => {
    dir = tempDir('werkbord-theme-')
    clientDir = path.join(dir, 'client')
    assets = path.join(dir, 'assets')
    fs.mkdirSync(clientDir)
    fs.mkdirSync(assets)
    fs.writeFileSync(path.join(clientDir, 'index.html'), builtPage)
    fs.writeFileSync(path.join(assets, 'Huisletter.woff2'), Buffer.alloc(2048, 3))
    fs.writeFileSync(path.join(assets, 'notes.txt'), 'not an asset type')
    themed = await startServer({ clientDir, themeCss: exampleTheme, themeAssets: assets })
    plain = await startServer({ clientDir })
  })
  afterAll(async () => {
    await themed?.close()
    await plain?.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('[TH1] /theme.css is the file, as CSS, compressed, with an ETag; the same tag answers 304', async () => {
    const file = fs.readFileSync(exampleTheme, 'utf8')
    const answer = await request(`${themed.url}/theme.css`, { 'accept-encoding': 'gzip, deflate, br' })
    expect(answer.status).toBe(200)
    expect(answer.headers['content-type']).toBe('text/css; charset=utf-8')
    expect(answer.headers['content-encoding']).toBe('br')
    expect(answer.headers['cache-control']).toBe('no-cache')
    expect(answer.headers.vary).toBe('Accept-Encoding')
    expect(answer.headers['x-content-type-options']).toBe('nosniff')
    expect(text(answer)).toBe(file)
    const etag = answer.headers.etag as string
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/)

    const gzip = await request(`${themed.url}/theme.css`, { 'accept-encoding': 'gzip' })
    expect(gzip.headers['content-encoding']).toBe('gzip')
    expect(text(gzip)).toBe(file)
    const identity = await request(`${themed.url}/theme.css`)
    expect(identity.headers['content-encoding']).toBeUndefined()
    expect(identity.body.toString('utf8')).toBe(file)
    expect(identity.headers.etag).toBe(etag)

    for (const tag of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await request(`${themed.url}/theme.css`, { 'if-none-match': tag })
      expect(again.status, tag).toBe(304)
      expect(again.body.length).toBe(0)
      expect(again.headers.etag).toBe(etag)
    }
    const changed = await request(`${themed.url}/theme.css`, { 'if-none-match': '"older"' })
    expect(changed.status).toBe(200)
    const head = await request(`${themed.url}/theme.css`, {}, 'HEAD')
    expect(head.status).toBe(200)
    expect(head.body.length).toBe(0)
  })

  it('[TH2] every page links the theme after the app stylesheet, versioned by its content', async () => {
    const css = await request(`${themed.url}/theme.css`)
    const version = (css.headers.etag as string).slice(1, 13)
    for (const page of ['/', '/b/someboard']) {
      for (const encoding of ['br', 'gzip', '']) {
        const answer = await request(`${themed.url}${page}`, encoding ? { 'accept-encoding': encoding } : {})
        expect(answer.status).toBe(200)
        expect(answer.headers['content-type']).toBe('text/html; charset=utf-8')
        expect(answer.headers['content-encoding']).toBe(encoding || undefined)
        expect(answer.headers['content-security-policy']).toContain("default-src 'self'")
        const html = text(answer)
        const app = html.indexOf('href="/assets/index-abc.css"')
        const theme = html.indexOf(`<link rel="stylesheet" href="/theme.css?v=${version}">`)
        expect(app).toBeGreaterThan(0)
        expect(theme, html).toBeGreaterThan(app)
        expect(theme).toBeLessThan(html.indexOf('</head>'))
      }
    }
  })

  it('[TH13] a board link with its token (the page that carries the board’s info) links the theme too, after the app stylesheet', async () => {
    const board = await createBoard(themed.url)
    const css = await request(`${themed.url}/theme.css`)
    const version = (css.headers.etag as string).slice(1, 13)
    const answer = await request(`${themed.url}/b/${board.id}?token=${board.tokens.participant}`)
    expect(answer.status).toBe(200)
    expect(answer.headers['cache-control']).toBe('no-store')
    const html = text(answer)
    expect(html).toContain('id="board-info"')
    const app = html.indexOf('href="/assets/index-abc.css"')
    const theme = html.indexOf(`<link rel="stylesheet" href="/theme.css?v=${version}">`)
    expect(app).toBeGreaterThan(0)
    expect(theme, html).toBeGreaterThan(app)
    expect(theme).toBeLessThan(html.indexOf('</head>'))
  })

  it('[TH3] without THEME_CSS: no link in the pages and /theme.css is 404', async () => {
    const page = await request(`${plain.url}/b/someboard`)
    expect(page.status).toBe(200)
    expect(page.body.toString('utf8')).toBe(builtPage)
    expect((await request(`${plain.url}/theme.css`)).status).toBe(404)
    expect((await request(`${plain.url}/theme-assets/Huisletter.woff2`)).status).toBe(404)
  })

  it('[TH4] THEME_ASSETS: fonts and images of that folder under /theme-assets/, nothing else, nothing outside', async () => {
    const font = await request(`${themed.url}/theme-assets/Huisletter.woff2`)
    expect(font.status).toBe(200)
    expect(font.headers['content-type']).toBe('font/woff2')
    expect(font.body.length).toBe(2048)
    expect(
      (
        await request(`${themed.url}/theme-assets/Huisletter.woff2`, {
          'if-none-match': font.headers.etag as string,
        })
      ).status,
    ).toBe(304)
    fs.writeFileSync(path.join(dir, 'secret.woff2'), 'outside')
    for (const bad of [
      '/theme-assets/notes.txt',
      '/theme-assets/missing.woff2',
      '/theme-assets/%2e%2e%2fsecret.woff2',
      '/theme-assets/..%2fsecret.woff2',
      '/theme-assets/%E0%A4%A.woff2',
      '/theme-assets/',
    ]) {
      expect((await request(`${themed.url}${bad}`)).status, bad).toBe(404)
    }
  })

  it('[TH5] a THEME_CSS that cannot be used stops the start with a message naming the setting', async () => {
    const big = path.join(dir, 'big.css')
    fs.writeFileSync(big, Buffer.alloc(MAX_THEME_BYTES + 1, 0x20))
    const binary = path.join(dir, 'binary.css')
    fs.writeFileSync(binary, Buffer.from([0x3a, 0x72, 0xff, 0xfe, 0x00]))
    const cases: [Partial<Parameters<typeof startServer>[0]>, RegExp][] = [
      [{ themeCss: path.join(dir, 'missing.css') }, /^THEME_CSS: cannot use .*missing\.css \(ENOENT/],
      [{ themeCss: dir }, /^THEME_CSS: cannot use .* \(not a file\)/],
      [{ themeCss: big }, /^THEME_CSS: cannot use .*big\.css \(1048577 bytes, more than the 1048576 bytes/],
      [{ themeCss: binary }, /^THEME_CSS: .*binary\.css is not UTF-8 text/],
      [
        { themeCss: exampleTheme, themeAssets: path.join(dir, 'nofolder') },
        /^THEME_ASSETS: cannot read folder/,
      ],
      [{ themeCss: exampleTheme, themeAssets: exampleTheme }, /^THEME_ASSETS: .* is not a folder/],
      [{ themeAssets: assets }, /^THEME_ASSETS is set but THEME_CSS is not/],
    ]
    for (const [settings, message] of cases) {
      await expect(startServer({ clientDir, ...settings }), String(message)).rejects.toThrow(message)
    }
    // Relative paths are the working directory's, like DATA_DIR.
    expect(loadConfig({ THEME_CSS: 'huisstijl/tokens.css' }, '/srv/werkbord').themeCss).toBe(
      '/srv/werkbord/huisstijl/tokens.css',
    )
    expect(loadConfig({}).themeCss).toBe('')
  })

  it('[TH6] `npm start` with a missing THEME_CSS exits 1 and says why', async () => {
    const missing = path.join(dir, 'gemeente.css')
    const child = startChildServer(tempDir(), { THEME_CSS: missing })
    await expect(child).rejects.toThrow(
      /server exited \(1\)[\s\S]*THEME_CSS: cannot use .*gemeente\.css \(ENOENT/,
    )
  })
})
