import type { Request, Route } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { BEAMER, browserSuite, copyWritten, LAPTOP, PHONE, screenshot } from '../helpers/browser.js'
import { type BoardInfo, createBoard } from '../helpers/server.js'

// What makes a returning user's board show quickly (issue 9, first render): its code, its settings,
// its browser copy and its WebSocket are asked for side by side, not one after the other as React
// renders. Checked by the order of events (React held back until the rest has happened), never by
// timing: the times are bench/list-view.ts's figures.
let board: BoardInfo

const suite = browserSuite()
beforeAll(async () => {
  board = await createBoard(suite.app.url, 'pact-westfriesland-7.1', 'Snel eerste beeld')
})

const path = (request: Request) => new URL(request.url()).pathname

describe('first render of a returning user’s board, in Chromium', { timeout: 90_000 }, () => {
  it('[FR1] the board’s code, settings, browser copy and WebSocket (synced) come while React is still held back; the board then takes that one session', async () => {
    const tp = await suite.open('Ruud', 'list')
    const { page } = tp
    await page.setViewportSize(LAPTOP)
    // The app's chunk (it mounts React) is held back until the test lets it go.
    const held: Route[] = []
    await page.route(/\/assets\/app-[\w-]+\.js$/, (route) => {
      held.push(route)
    })
    const requested: string[] = []
    page.on('request', (request) => requested.push(path(request)))
    let sockets = 0
    let frames = 0
    page.on('websocket', (socket) => {
      sockets++
      socket.on('framereceived', () => {
        frames++
      })
    })
    const socket = page.waitForEvent('websocket')
    await page.goto(`${suite.app.url}/b/${board.id}?token=${board.tokens.participant}`)
    // React is not there: the session opens anyway, from the entry, with the board's code (its own
    // chunk: Yjs and the sync, without React).
    expect((await socket).url()).toContain(`/sync/${board.id}`)
    await expect.poll(() => frames).toBeGreaterThan(1) // the server's sync answer and more
    expect(held).toHaveLength(1)
    expect(requested.some((file) => /^\/assets\/BoardApp-[\w-]+\.js$/.test(file))).toBe(true)
    expect(requested).toContain('/api/client-config')
    // The browser copy (IndexedDB) is written too: a first visit makes it once the first sync is in and
    // the page is idle (here, with React held back, at once).
    await copyWritten(page, board.id)
    expect(await page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name))).toContain(
      `werkbord-${board.id}`,
    )
    // Nothing rendered yet: the page shows no board.
    expect(await page.locator('article.card-face').count()).toBe(0)
    // React now: the board shows its cards, on the socket that was already open.
    for (const route of held) await route.continue()
    await page.locator('article.card-face').first().waitFor()
    expect(await page.locator('article.card-face').count()).toBe(20)
    await page.locator('[data-connection="connected"]').waitFor()
    // The board took that session: the same one socket, and others see this user (presence set).
    expect(sockets).toBe(1)
    for (const [label, size] of [
      ['phone', PHONE],
      ['laptop', LAPTOP],
      ['beamer', BEAMER],
    ] as const) {
      await page.setViewportSize(size)
      await screenshot(page, `first-render-${label}`)
    }
    await tp.context.close() // Ruud leaves: the next test counts who is here
  })

  it('[FR2] one session per board and page: the board opened on that socket works both ways, and a reload opens one again (asking for the whole board only the first time)', async () => {
    const anna = await suite.open('Anna', 'list')
    const bert = await suite.open('Bert', 'list')
    let sockets = 0
    const asked: boolean[] = []
    anna.page.on('websocket', (socket) => {
      sockets++
      // A first visit has no copy and asks for the whole board at once (fresh=1); a reload has one.
      asked.push(new URL(socket.url()).searchParams.get('fresh') === '1')
    })
    for (const tp of [anna, bert]) {
      await tp.page.goto(`${suite.app.url}/b/${board.id}?token=${board.tokens.participant}`)
      await tp.page.locator('[data-connection="connected"]').waitFor()
    }
    // Anna's page shows both among the people here, and her new card reaches Bert's page: the socket the
    // entry opened is the board's, presence and edits both ways.
    await expect
      .poll(() => anna.page.locator('.participants summary').textContent())
      .toContain('2 deelnemers')
    await anna.page.getByRole('button', { name: 'Nieuwe actie' }).click()
    await anna.page.getByLabel('Kies eerst een thema').selectOption({ label: 'Wonen en Leefbaarheid' })
    await anna.page.locator('form.new-card').getByRole('button', { name: 'Toevoegen' }).click()
    const actie = anna.page.getByRole('dialog').locator('textarea[aria-label="Actie"]')
    await expect.poll(() => actie.evaluate((el) => el === document.activeElement)).toBe(true)
    await actie.pressSequentially('Vroege sessie')
    await bert.page.getByRole('article', { name: /^Actie \d+: Vroege sessie/ }).waitFor({ timeout: 30_000 })
    expect(sockets).toBe(1)
    // A reload (the link's token kept for this tab): again one socket, and the card is there.
    await anna.page.reload()
    await anna.page.getByRole('article', { name: /^Actie \d+: Vroege sessie/ }).waitFor()
    await anna.page.locator('[data-connection="connected"]').waitFor()
    expect(sockets).toBe(2)
    expect(asked).toEqual([true, false])
  })

  it('[FR3] the facilitator’s panels arriving late do not push the board down: their headings held the place', async () => {
    const tp = await suite.open('Fenna', 'list')
    const { page } = tp
    await page.setViewportSize(LAPTOP)
    const held: Route[] = []
    // On the context: the chunk comes after the service worker took the page over, through it.
    await tp.context.route(/\/assets\/facilitatorTools-[\w-]+\.js$/, (route) => {
      held.push(route)
    })
    await page.goto(`${suite.app.url}/b/${board.id}?token=${board.tokens.facilitator}`)
    const first = page.locator('article.card-face').first()
    await first.waitFor()
    await expect.poll(() => held.length).toBe(1)
    const waiting = page.locator('details.panel-waiting')
    expect(await waiting.allTextContents()).toEqual([
      'Verbonden en links',
      'Uitnodigingen',
      'Exporteren en importeren',
    ])
    const before = (await first.boundingBox())?.y
    for (const route of held) await route.continue()
    await page.locator('details.invitations').waitFor()
    expect(await waiting.count()).toBe(0)
    expect((await first.boundingBox())?.y).toBe(before)
    await tp.context.close()
  })

  it('[FR4] the service worker is registered only once the board shows its cards (its installation would compete with the first render); the start page registers it once loaded', async () => {
    const tp = await suite.open('Sven', 'list')
    const { page } = tp
    // When register() is called: the number of card faces in the page at that moment.
    await page.addInitScript(() => {
      const calls: number[] = []
      ;(window as unknown as { registered: number[] }).registered = calls
      const container = navigator.serviceWorker
      const register = container.register.bind(container)
      container.register = (...args: Parameters<typeof register>) => {
        calls.push(document.querySelectorAll('article.card-face').length)
        return register(...args)
      }
    })
    await page.goto(`${suite.app.url}/b/${board.id}?token=${board.tokens.participant}`)
    await page.evaluate(() => navigator.serviceWorker.ready)
    const registered = () => page.evaluate(() => (window as unknown as { registered: number[] }).registered)
    expect(await registered()).toHaveLength(1)
    expect((await registered())[0]).toBeGreaterThan(0)
    await tp.context.close()
    // The start page has no board to wait for.
    const start = await suite.open('Sven', 'list')
    await start.page.goto(suite.app.url)
    await start.page.evaluate(() => navigator.serviceWorker.ready)
    await start.context.close()
  })

  it('[FR5] a first visit writes its browser copy after the board has shown its cards (its whole-board write would compete with the first render); a reload opens the copy at once', async () => {
    const tp = await suite.open('Lotte', 'list')
    const { page } = tp
    // When the board's copy is opened: the number of card faces in the page at that moment.
    await tp.context.addInitScript(() => {
      const opens: number[] = []
      ;(window as unknown as { copyOpens: number[] }).copyOpens = opens
      const open = indexedDB.open.bind(indexedDB)
      indexedDB.open = (name: string, version?: number) => {
        if (name.startsWith('werkbord-')) opens.push(document.querySelectorAll('article.card-face').length)
        return open(name, version)
      }
    })
    const opens = () => page.evaluate(() => (window as unknown as { copyOpens: number[] }).copyOpens)
    await page.goto(`${suite.app.url}/b/${board.id}?token=${board.tokens.participant}`)
    await copyWritten(page, board.id)
    expect(await opens()).toHaveLength(1)
    expect((await opens())[0]).toBeGreaterThan(0)
    // A returning visit loads its copy before the server answers: opened before any card shows.
    await page.reload()
    await page.locator('article.card-face').first().waitFor()
    expect(await opens()).toEqual([0])
    await tp.context.close()
  })
})
