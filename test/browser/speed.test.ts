import type { Request } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { createCard, fieldText } from '../../model/cards.js'
import { axeViolations } from '../helpers/axe.js'
import { BEAMER, browserSuite, copyWritten, LAPTOP, PHONE, screenshot } from '../helpers/browser.js'
import { connectClient } from '../helpers/clients.js'
import { countFaceRenders } from '../helpers/renders.js'
import { type BoardInfo, createBoard } from '../helpers/server.js'

// What makes the board quick on a phone, checked by counting (requests, transactions, attribute
// changes), never by timing: the times themselves are figures of bench/browser.ts.
let board: BoardInfo

const suite = browserSuite()
beforeAll(async () => {
  board = await createBoard(suite.app.url, 'pact-westfriesland-7.1', 'Snelle werksessie')
})

const path = (request: Request) => new URL(request.url()).pathname

/**
 * A new Pact board in the facilitator's list view at laptop size, counting face renders
 * (renders.ts), with the page's clock installed, and a participant's stock client connected; `ids`
 * are the cards of the second to fourth faces. The page's clock is the test's (timers,
 * performance.now): the gathered render of remote edits waits on it, so what renders is decided by
 * counting, not by how fast a loaded machine delivers the updates.
 */
async function boardWithTypist(title: string) {
  const busy = await createBoard(suite.app.url, 'pact-westfriesland-7.1', title)
  const { page, context } = await suite.open('Facilitator', 'list')
  await context.addInitScript(countFaceRenders)
  await page.clock.install()
  await page.setViewportSize(LAPTOP)
  await page.goto(`${suite.app.url}/b/${busy.id}?token=${busy.tokens.facilitator}`)
  await page.locator('[data-connection="connected"]').waitFor()
  const typist = connectClient(suite.app.url, busy.id, busy.tokens.participant)
  await typist.synced
  const faces = page.locator('article.card-face')
  const ids = await Promise.all(
    [1, 2, 3].map(async (i) => (await faces.nth(i).getAttribute('data-card-id')) as string),
  )
  return { page, context, typist, ids }
}

describe('speed on a phone, in Chromium', { timeout: 90_000 }, () => {
  it('[SP1] the join screen needs the small entry script only: the board’s info comes with the page, no React, no board code; the board syncs while the name is typed', async () => {
    const tp = await suite.open(undefined, 'list')
    const { page } = tp
    await page.setViewportSize(PHONE)
    // Every other script refused: the join screen still shows, with the board's title.
    const html = await (await fetch(`${suite.app.url}/`)).text()
    const entry = /<script type="module" crossorigin src="([^"]+)"/.exec(html)?.[1] as string
    expect(entry).toMatch(/^\/assets\/index-[\w-]+\.js$/)
    // The entry holds neither React (its developer-tools hook) nor Yjs (its double-import warning).
    const source = await (await fetch(`${suite.app.url}${entry}`)).text()
    expect(source).not.toContain('__REACT_DEVTOOLS_GLOBAL_HOOK__')
    expect(source).not.toContain('Yjs was already imported')
    const refused: string[] = []
    await page.route('**/*.js', (route) => {
      if (path(route.request()) === entry) return route.continue()
      refused.push(path(route.request()))
      return route.abort()
    })
    const api: string[] = []
    page.on('request', (request) => {
      if (path(request).startsWith('/api/')) api.push(path(request))
    })
    await page.goto(`${suite.app.url}/b/${board.id}?token=${board.tokens.participant}`)
    await page.getByLabel('Je naam').waitFor()
    // No question about the board: the page came with its info (server/http/board-page.ts).
    expect(api).toEqual([])
    expect(await page.locator('.join-board').textContent()).toBe('Snelle werksessie')
    // What was refused is what loads once the join screen shows: React and the rest of the app.
    await expect.poll(() => refused.some((file) => /^\/assets\/app-/.test(file))).toBe(true)
    await page.unroute('**/*.js')
    // Now as a phone really joins: the code arrives and the board syncs (its socket opens) while the
    // name is typed.
    let sockets = 0
    page.on('websocket', () => {
      sockets++
    })
    await page.reload()
    const name = page.getByLabel('Je naam')
    await name.waitFor()
    // The reload's address has no token any more (linkToken.ts): the page carries nothing, and the
    // join screen asks about the board, once. (The app, loading meanwhile, may already ask for the
    // client settings: that is not about the board, and whether it comes first is a race.)
    expect(api.filter((request) => request.startsWith('/api/boards/'))).toEqual([`/api/boards/${board.id}`])
    expect(await page.locator('.join-board').textContent()).toBe('Snelle werksessie')
    expect(await axeViolations(page)).toEqual([])
    for (const [label, size] of [
      ['phone', PHONE],
      ['laptop', LAPTOP],
      ['beamer', BEAMER],
    ] as const) {
      await page.setViewportSize(size)
      await screenshot(page, `speed-join-${label}`)
    }
    await page.setViewportSize(PHONE)
    // While the name is typed, the board's code arrives and the board syncs (the socket opens).
    await name.pressSequentially('Voorzitter')
    await expect.poll(() => sockets).toBe(1)
    // The name is checked as before: a role is not a name.
    expect(await name.evaluate((el: HTMLInputElement) => el.validationMessage)).toContain('zonder rol')
    await name.fill('Fatima')
    await page.getByRole('radio', { name: 'groen', exact: true }).check()
    await page.getByRole('button', { name: 'Meedoen' }).click()
    await page.locator('article.card-face').first().waitFor()
    expect(await page.locator('article.card-face').count()).toBe(20)
    // The name and colour chosen are what the board shows the others.
    const host = connectClient(suite.app.url, board.id, board.tokens.facilitator)
    await host.synced
    await expect
      .poll(() =>
        [...host.provider.awareness.getStates().values()].some(
          (state) => state.user?.name === 'Fatima' && state.user?.color === '#2f7d4f',
        ),
      )
      .toBe(true)
    host.destroy()
    // One socket for the whole visit: the board took the session opened on the join screen.
    expect(sockets).toBe(1)
  })

  it('[SZ4] a participant’s phone loads none of the facilitator’s, the other views’ or the beamer’s chunks; a facilitator’s page loads its panels', async () => {
    const scripts = async (token: string, name: string) => {
      const tp = await suite.open(name, 'list')
      const loaded: string[] = []
      tp.page.on('request', (request) => {
        if (path(request).endsWith('.js')) loaded.push(path(request).replace(/-[\w-]{8}\.js$/, ''))
      })
      await tp.page.setViewportSize(PHONE)
      await tp.page.goto(`${suite.app.url}/b/${board.id}?token=${token}`)
      await tp.page.locator('article.card-face').first().waitFor()
      await tp.page.waitForLoadState('networkidle')
      return { loaded, page: tp.page }
    }
    const lazy =
      /\/(facilitatorTools|ResultsView|MatrixView|PlanningView|Presentation|Canvas|StartPage|operatorRequest)$/
    const participant = await scripts(board.tokens.participant, 'Deelnemer')
    expect(participant.loaded.filter((file) => lazy.test(file))).toEqual([])
    expect(participant.loaded).toContain('/assets/BoardApp')
    // The facilitator's panels come in their own chunk, and show.
    const facilitator = await scripts(board.tokens.facilitator, 'Facilitator')
    expect(facilitator.loaded).toContain('/assets/facilitatorTools')
    await facilitator.page.getByRole('button', { name: 'Menu' }).click() // on a phone the panels are behind it
    await facilitator.page.locator('summary', { hasText: 'Uitnodigingen' }).waitFor()
    // Another view is loaded when chosen.
    await participant.page.getByRole('button', { name: 'Menu' }).click()
    await participant.page.getByRole('radio', { name: 'Matrix' }).check()
    await participant.page.locator('.view-matrix').waitFor()
    expect(participant.loaded).toContain('/assets/MatrixView')
  })

  it('[SP2] remote edits are written to the browser copy in batches and leave the status bar alone', async () => {
    const tp = await suite.open('Facilitator', 'list')
    const { page, context } = tp
    await context.addInitScript(() => {
      const w = window as unknown as { idbTransactions: number; idbDone: number }
      w.idbTransactions = 0
      w.idbDone = 0
      const open = IDBDatabase.prototype.transaction
      IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<typeof open>) {
        w.idbTransactions++
        const transaction = open.apply(this, args)
        transaction.addEventListener('complete', () => w.idbDone++)
        return transaction
      }
    })
    // The batches wait on timers: the page's clock is the test's, so it can let the last one fire.
    await page.clock.install()
    await page.goto(`${suite.app.url}/b/${board.id}?token=${board.tokens.facilitator}`)
    await page.locator('[data-connection="connected"]').waitFor()
    await page.locator('[data-saved-locally="true"]').waitFor()
    // The copy is there before the others type (a first visit makes it once the page is idle).
    await copyWritten(page, board.id)
    await page.evaluate(() => {
      const w = window as unknown as { idbTransactions: number; idbDone: number; statusChanges: number }
      w.idbTransactions = 0
      w.idbDone = 0
      w.statusChanges = 0
      const status = document.querySelector('[data-saved-locally]') as Element
      new MutationObserver((records) => {
        w.statusChanges += records.length
      }).observe(status, { attributes: true, childList: true, characterData: true, subtree: true })
    })
    const typist = connectClient(suite.app.url, board.id, board.tokens.participant)
    await typist.synced
    const id = (await page.locator('article.card-face').nth(2).getAttribute('data-card-id')) as string
    const text = fieldText(typist.doc, id, 'actie')
    const typed = ' (dertig tekens snel getypt...)'
    for (const char of typed) text.insert(text.length, char) // one update per keystroke: 31 updates
    const face = page.locator(`article.card-face[data-card-id="${id}"]`)
    await expect.poll(() => face.locator('.card-face-text').textContent()).toContain(typed.trim())
    const counted = () =>
      page.evaluate(() => (window as unknown as { idbTransactions: number }).idbTransactions)
    // A batch is written within 250 ms of its first update: past that, the last one has started, and
    // once every transaction begun is complete, the copy holds all 31 updates (on a loaded machine
    // they can arrive over two batches or more).
    await page.clock.runFor(300)
    await page.waitForFunction(() => {
      const w = window as unknown as { idbTransactions: number; idbDone: number }
      return w.idbTransactions > 0 && w.idbDone === w.idbTransactions
    })
    // y-indexeddb alone would write each update in a transaction of its own (31), and the marker that
    // says "saved in this browser" added one more per update (62 in all).
    expect(await counted()).toBeLessThanOrEqual(Math.ceil(typed.length / 2))
    expect(await page.evaluate(() => (window as unknown as { statusChanges: number }).statusChanges)).toBe(0)
    typist.destroy()
    // The batch is in the browser's copy: offline, a reload shows the text.
    await page.evaluate(() => navigator.serviceWorker.ready)
    await context.setOffline(true)
    await page.reload()
    await expect.poll(() => face.locator('.card-face-text').textContent()).toContain(typed.trim())
    await context.setOffline(false)
  })

  it('[SP3] a board of 300 cards shows its first faces before rendering the rest, then holds every card', async () => {
    const big = await createBoard(suite.app.url, 'pact-westfriesland-7.1', 'Driehonderd kaarten')
    const cards = Array.from({ length: 280 }, (_, i) => ({
      fields: { actie: `Extra actie nummer ${i + 1}` },
    }))
    const imported = await fetch(`${suite.app.url}/api/boards/${big.id}/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${big.tokens.facilitator}` },
      body: JSON.stringify(cards),
    })
    expect(imported.ok).toBe(true)
    const tp = await suite.open('Facilitator', 'list')
    const { page, context } = tp
    await context.addInitScript(countFaceRenders)
    // How many faces the page held when the first one appeared.
    await context.addInitScript(() => {
      const w = window as unknown as { firstFaces: number | null }
      w.firstFaces = null
      new MutationObserver((_, observer) => {
        const faces = document.querySelectorAll('article.card-face').length
        if (faces === 0) return
        w.firstFaces = faces
        observer.disconnect()
      }).observe(document, { childList: true, subtree: true })
    })
    await page.setViewportSize(LAPTOP)
    await page.goto(`${suite.app.url}/b/${big.id}?token=${big.tokens.facilitator}`)
    await expect.poll(() => page.locator('article.card-face').count(), { timeout: 60_000 }).toBe(300)
    const first = await page.evaluate(() => (window as unknown as { firstFaces: number }).firstFaces)
    expect(first).toBeGreaterThan(0)
    expect(first).toBeLessThanOrEqual(2 * 60)
    // Each face rendered once: the faces already there do not render again as more are added.
    const { renders, worked } = await page.evaluate(() => {
      const w = window as unknown as { __faceRenders: string[]; __commits: { worked: string[][] } }
      return { renders: w.__faceRenders, worked: w.__commits.worked }
    })
    expect(new Set(renders).size).toBe(300)
    // On failure: what rendered in each commit (how many of each component).
    const perCommit = worked.map((names) => {
      const counts = new Map<string, number>()
      for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1)
      return [...counts].map(([name, n]) => `${name}×${n}`).join(' ')
    })
    expect(renders.length, perCommit.join('\n')).toBeLessThanOrEqual(310)
    // Every card is in the page (find-in-page, screen readers), in the board's order.
    expect(await page.locator('section[data-lane="longlist"] h2').textContent()).toContain('(300)')
    expect(await page.locator('article.card-face').last().textContent()).toContain('Extra actie nummer 280')
    await screenshot(page, 'speed-300-laptop')
  })

  it('[SP4] while others type in several cards, their faces wait and then render once together with the last text, and only their titles are laid out again', async () => {
    const { page, context, typist, ids } = await boardWithTypist('Drukke werksessie')
    const title = (id: string) =>
      page.locator(`article.card-face[data-card-id="${id}"] .card-face-text`).textContent()
    // Time stands still in the page from here: no gathered render can happen until we move it on.
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1000)
    // Three people typing a word each, one update per keystroke, interleaved: 3 × 12 updates. Then
    // one of them adds a card: a new card renders at once (only edits of a card are gathered) and the
    // server relays updates in the order it stored them, so once it shows, the page holds all 36.
    // (Presence would not do: the server relays it without waiting for the updates' storage.)
    const typed = ' bij de haven'
    const texts = ids.map((id) => fieldText(typist.doc, id, 'actie'))
    for (const char of typed.slice(1)) for (const text of texts) text.insert(text.length, char)
    createCard(typist.doc, { fields: { actie: 'Einde van de reeks' } })
    await page.locator('article.card-face .card-face-text', { hasText: 'Einde van de reeks' }).waitFor()
    // 36 updates received, not one of them rendered yet: they wait for the gathered render.
    for (const id of ids) expect(await title(id)).not.toContain('bij')
    await page.evaluate(() => {
      const w = window as unknown as { __faceRenders: string[]; __commits: { count: number } }
      w.__faceRenders.length = 0
      w.__commits.count = 0
    })
    // What the browser lays out: Chromium's own record of each layout (how many boxes it visited).
    const cdp = await context.newCDPSession(page)
    const layouts: { partialLayout: boolean; totalObjects: number }[] = []
    cdp.on('Tracing.dataCollected', ({ value }) => {
      for (const event of value as unknown as {
        name: string
        args?: { beginData?: (typeof layouts)[number] }
      }[])
        if (event.name === 'Layout' && event.args?.beginData) layouts.push(event.args.beginData)
    })
    await cdp.send('Tracing.start', { categories: 'devtools.timeline', transferMode: 'ReportEvents' })
    // The gathering window (remoteRenders.ts, 200 ms) passes: one render shows the last text of each.
    await page.clock.runFor(250)
    for (const id of ids) await expect.poll(() => title(id)).toContain('bij de haven')
    const traced = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()))
    await cdp.send('Tracing.end')
    await traced
    const { renders, commits } = await page.evaluate(() => {
      const w = window as unknown as { __faceRenders: string[]; __commits: { count: number } }
      return { renders: [...w.__faceRenders], commits: w.__commits.count }
    })
    // The three faces typed in rendered once each, in one commit, and nothing else rendered.
    expect([...renders].sort()).toEqual([...ids].sort())
    expect(commits).toBe(1)
    // Each layout since began at the changed titles (a relayout boundary), never at the whole page.
    expect(layouts.length).toBeGreaterThan(0)
    expect(layouts.filter((layout) => !layout.partialLayout)).toEqual([])
    expect(Math.max(...layouts.map((layout) => layout.totalObjects))).toBeLessThanOrEqual(10 * ids.length)
    await page.clock.resume()
    typist.destroy()
  })

  it('[SP6] others typing in a field the face does not show (the doel) render no face; typing in the actie renders that face', async () => {
    const { page, typist, ids } = await boardWithTypist('Werksessie met doelen')
    const reset = () =>
      page.evaluate(() => {
        ;(window as unknown as { __faceRenders: string[] }).__faceRenders.length = 0
      })
    const rendered = () =>
      page.evaluate(() => [...(window as unknown as { __faceRenders: string[] }).__faceRenders])
    // A new card renders at once and the server relays in order: once it shows, the edits before it are in.
    const allIn = async (marker: string) => {
      createCard(typist.doc, { fields: { actie: marker } })
      await page.locator('article.card-face .card-face-text', { hasText: marker }).waitFor()
    }
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1000)
    const doelen = ids.map((id) => fieldText(typist.doc, id, 'doel'))
    for (const char of 'Meer banen') for (const text of doelen) text.insert(text.length, char)
    await allIn('Eerste markering')
    await reset()
    await page.clock.runFor(250)
    // The gathered render has passed (remoteRenders.ts, 200 ms): the faces read the same, none rendered.
    expect(await rendered()).toEqual([])
    fieldText(typist.doc, ids[0] as string, 'actie').insert(0, 'Nieuw: ')
    await allIn('Tweede markering')
    await reset()
    await page.clock.runFor(250)
    await expect
      .poll(() => page.locator(`article.card-face[data-card-id="${ids[0]}"] .card-face-text`).textContent())
      .toMatch(/^Nieuw: /)
    expect(await rendered()).toEqual([ids[0]])
    await page.clock.resume()
    typist.destroy()
  })

  it('[SP5] others moving their pointers on the canvas do not render the list view: only who edits which card does', async () => {
    const busy = await createBoard(suite.app.url, 'pact-westfriesland-7.1', 'Werksessie met cursors')
    const tp = await suite.open('Facilitator', 'list')
    const { page, context } = tp
    await context.addInitScript(countFaceRenders)
    await page.setViewportSize(LAPTOP)
    await page.goto(`${suite.app.url}/b/${busy.id}?token=${busy.tokens.facilitator}`)
    await page.locator('[data-connection="connected"]').waitFor()
    const other = connectClient(suite.app.url, busy.id, busy.tokens.participant)
    await other.synced
    const watcher = connectClient(suite.app.url, busy.id, busy.tokens.observer)
    await watcher.synced
    const user = { name: 'Ruben', color: '#2f7d4f' }
    other.provider.awareness.setLocalState({ user, editing: null, cursor: null })
    await page.locator('.participants summary', { hasText: '2 deelnemers online' }).waitFor()
    // The facilitator's panels are a chunk loaded beside the board (lazyParts.tsx): on a loaded machine
    // it can arrive after the board connects, and showing it is a commit of its own. Counted from here.
    await page.locator('details.invitations').waitFor()
    const id = (await page.locator('article.card-face').nth(4).getAttribute('data-card-id')) as string
    await page.evaluate(() => {
      const w = window as unknown as { __faceRenders: string[]; __commits: { count: number } }
      w.__faceRenders.length = 0
      w.__commits.count = 0
      ;(w.__commits as unknown as { worked: string[][] }).worked.length = 0
    })
    // Ten pointer moves, each relayed by the server on its own (a watcher sees each before the next;
    // the server gathers a room's presence changes per interval), then the card they open: messages
    // arrive in order, so once the face shows the editor, every pointer move has been handled.
    for (let i = 1; i <= 10; i++) {
      const seen = new Promise<void>((resolve) => {
        const check = () => {
          const state = watcher.provider.awareness.getStates().get(other.doc.clientID)
          if (state?.cursor?.x !== 10 * i) return
          watcher.provider.awareness.off('change', check)
          resolve()
        }
        watcher.provider.awareness.on('change', check)
      })
      other.provider.awareness.setLocalState({ user, editing: null, cursor: { x: 10 * i, y: 5 * i } })
      await seen
    }
    other.provider.awareness.setLocalState({ user, editing: id, cursor: { x: 200, y: 100 } })
    await page.locator(`article.card-face[data-card-id="${id}"] .card-face-editors`).waitFor()
    const { renders, commits, worked } = await page.evaluate(() => {
      const w = window as unknown as {
        __faceRenders: string[]
        __commits: { count: number; worked: string[][] }
      }
      return { renders: [...w.__faceRenders], commits: w.__commits.count, worked: w.__commits.worked }
    })
    expect(renders).toEqual([id])
    // One commit in which anything rendered: the editing mark. (Under load React sometimes commits
    // once more with nothing rendered in it, a store checked again and found unchanged: no render.)
    // If more, the message names what rendered in each commit.
    expect(commits, JSON.stringify(worked)).toBeGreaterThanOrEqual(1)
    expect(
      worked.filter((components) => components.length > 0),
      JSON.stringify(worked),
    ).toHaveLength(1)
    other.destroy()
    watcher.destroy()
  })
})
