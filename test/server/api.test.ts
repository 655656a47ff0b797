import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../server/app.js'
import { validateExport } from '../../server/http/schemas.js'
import { type BoardInfo, createBoard, startServer } from '../helpers/server.js'

let app: App
let pact: BoardInfo

beforeAll(async () => {
  app = await startServer()
  pact = await createBoard(app.url, 'pact-westfriesland-7.1', 'Werksessie Pact 7.1')
})
afterAll(async () => {
  await app.close()
})

const post = (path: string, body: unknown, token?: string) =>
  fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })

const exportOf = async (id: string, token: string, lane = 'all') => {
  const res = await fetch(`${app.url}/api/boards/${id}/export?format=json&lane=${lane}`, {
    headers: { authorization: `Bearer ${token}` },
  })
  expect(res.status).toBe(200)
  return (await res.json()) as {
    cards: { number: number; fields: Record<string, unknown>; lane: string }[]
    themes: unknown[]
  }
}

describe('HTTP API', () => {
  it('[H1] GET /healthz answers 200 JSON', async () => {
    const res = await fetch(`${app.url}/healthz`)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ status: 'ok' })
  })

  it('[H2] POST /api/boards returns id, three distinct tokens and links', async () => {
    const res = await post('/api/boards', { template: 'blank', title: 'Sociaal domein Kop van NH' })
    expect(res.status).toBe(201)
    const body = (await res.json()) as BoardInfo & { title: string }
    expect(body.title).toBe('Sociaal domein Kop van NH')
    expect(new Set(Object.values(body.tokens)).size).toBe(3)
    for (const token of Object.values(body.tokens)) expect(token).toMatch(/^[0-9A-Za-z]{32}$/)
    expect(body.links.participant).toBe(`${app.url}/b/${body.id}?token=${body.tokens.participant}`)
  })

  it('[H3] an unknown template is a 400 naming the known ids', async () => {
    const res = await post('/api/boards', { template: 'bestaat-niet' })
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: string }
    expect(body.error).toContain('blank')
    expect(body.error).toContain('pact-westfriesland-7.1')
  })

  it('[H4] malformed JSON, wrong content type and oversize bodies are refused clearly', async () => {
    expect((await post('/api/boards', '{niet json')).status).toBe(400)
    const wrongType = await fetch(`${app.url}/api/boards`, {
      method: 'POST',
      body: 'x',
      headers: { 'content-type': 'text/plain' },
    })
    expect(wrongType.status).toBe(415)
    const huge = await post('/api/boards', { template: 'blank', title: 'x'.repeat(17 * 1024 * 1024) })
    expect(huge.status).toBe(413)
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200)
  })

  it('[H5] export needs a token; wrong token and unknown board are the same 401', async () => {
    const none = await fetch(`${app.url}/api/boards/${pact.id}/export`)
    const wrong = await fetch(`${app.url}/api/boards/${pact.id}/export?token=${'a'.repeat(32)}`)
    const unknown = await fetch(`${app.url}/api/boards/onbekend/export?token=${pact.tokens.facilitator}`)
    expect([none.status, wrong.status, unknown.status]).toEqual([401, 401, 401])
    expect(await wrong.text()).toBe(await unknown.text())
  })

  it('[H6] every role can export; the export validates against the published schema', async () => {
    for (const token of Object.values(pact.tokens)) {
      const res = await fetch(`${app.url}/api/boards/${pact.id}/export?lane=shortlist&token=${token}`)
      expect(res.status).toBe(200)
      expect(validateExport(await res.json())).toEqual([])
    }
    const bad = await fetch(
      `${app.url}/api/boards/${pact.id}/export?format=pdf&token=${pact.tokens.observer}`,
    )
    expect(bad.status).toBe(400)
  })

  it('[H7] import appends to the longlist and round-trips through export', async () => {
    const cards = [
      {
        fields: {
          thema: ['onderwijs', 'economie'], // sets read in template order
          actie:
            'MKB strategie met aandacht voor agri, op thema’s als digitalisering, verduurzaming en innovatie',
          doel: 'Versterken ondernemerschap\nMKB-agenda',
          schaalniveau: 'regionaal',
          planning: { kort: 'Aanvraag deel', lang: 'Uitvoering' },
          partijen: ['Provincie', 'Rijk', 'LTO'],
          trekker: 'Regio Westfriesland',
        },
      },
      { number: 7, fields: { actie: 'Vitalisering verblijfsrecreatie', thema: ['vrije-tijd'] } },
    ]
    const before = await exportOf(pact.id, pact.tokens.facilitator, 'longlist')
    const res = await post(`/api/boards/${pact.id}/import`, cards, pact.tokens.facilitator)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ imported: 2 })
    const after = await exportOf(pact.id, pact.tokens.facilitator, 'longlist')
    const first = { ...after, cards: after.cards.slice(before.cards.length) }
    expect(after.cards.slice(0, before.cards.length)).toEqual(before.cards)
    expect(first.cards.map((c) => c.fields.actie)).toEqual(cards.map((c) => c.fields.actie))
    expect(first.cards[0]?.fields).toMatchObject(cards[0]?.fields as object)

    // Into a blank board: same cards and fields.
    const blank = (await (await post('/api/boards', { template: 'blank' })).json()) as BoardInfo
    const again = await post(`/api/boards/${blank.id}/import`, first, blank.tokens.facilitator)
    expect(again.status).toBe(200)
    const second = await exportOf(blank.id, blank.tokens.facilitator)
    const strip = (doc: typeof first) => doc.cards.map(({ number, fields }) => ({ number, fields }))
    expect(strip(second)).toEqual(strip(first))
    expect(second.themes).toEqual(first.themes)
  })

  it('[H8] import is facilitator-only, and a broken import is rejected whole with every problem', async () => {
    const forbidden = await post(`/api/boards/${pact.id}/import`, [], pact.tokens.participant)
    expect(forbidden.status).toBe(403)
    const before = await exportOf(pact.id, pact.tokens.facilitator)
    const broken = [
      { fields: { actie: 'goed' } },
      { fields: { actie: 42 } },
      { nofields: true },
      { fields: { lane: 'shortlist', partijen: [1, 2] } },
    ]
    const res = await post(`/api/boards/${pact.id}/import`, { cards: broken }, pact.tokens.facilitator)
    expect(res.status).toBe(400)
    const body = (await res.json()) as { problems: { path: string; message: string }[] }
    const paths = body.problems.map((p) => p.path)
    expect(paths).toEqual(
      expect.arrayContaining([
        '/cards/1/fields/actie',
        '/cards/2',
        '/cards/3/fields/partijen',
        '/cards/3/fields/lane',
      ]),
    )
    expect(await exportOf(pact.id, pact.tokens.facilitator)).toEqual({ ...before, board: expect.anything() })
    const notCards = await post(`/api/boards/${pact.id}/import`, { kaarten: [] }, pact.tokens.facilitator)
    expect(notCards.status).toBe(400)
  })

  it('[H9] serves the client page for board links, without leaking tokens via Referer', async () => {
    const res = await fetch(`${app.url}/b/${pact.id}?token=${pact.tokens.participant}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('referrer-policy')).toBe('no-referrer')
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(await res.text()).toContain('<div id="root">')
    expect((await fetch(`${app.url}/../../etc/passwd`)).status).toBe(404)
    expect((await fetch(`${app.url}/%2e%2e/%2e%2e/etc/passwd`)).status).toBe(404)
  })

  it('[H10] an import whose values do not fit the board’s fields is refused whole, with paths', async () => {
    const before = await exportOf(pact.id, pact.tokens.facilitator)
    const misfits = {
      cards: [
        { fields: { planning: 'volgend jaar' } },
        { fields: { schaalniveau: ['regionaal'] } },
        { fields: { partijen: { a: 'GGD' } } },
        { fields: { planning: { morgen: 'x' } } },
      ],
    }
    const res = await post(`/api/boards/${pact.id}/import`, misfits, pact.tokens.facilitator)
    expect(res.status).toBe(400)
    const body = (await res.json()) as { problems: { path: string }[] }
    expect(body.problems.map((p) => p.path)).toEqual([
      '/cards/0/fields/planning',
      '/cards/1/fields/schaalniveau',
      '/cards/2/fields/partijen',
      '/cards/3/fields/planning/morgen',
    ])
    expect((await exportOf(pact.id, pact.tokens.facilitator)).cards).toEqual(before.cards)
  })

  it('[H11] unknown methods get 405 with Allow; JSON answers carry the security headers', async () => {
    const res = await fetch(`${app.url}/api/boards`, { method: 'GET' })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('POST')
    const ok = await fetch(`${app.url}/healthz`)
    expect(ok.headers.get('referrer-policy')).toBe('no-referrer')
  })
})

describe('creating boards', () => {
  const create = (url: string, headers: Record<string, string> = {}) =>
    fetch(`${url}/api/boards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ template: 'blank' }),
    })

  it('[SL1] with BOARD_CREATE_TOKEN set, POST /api/boards needs it as a Bearer token', async () => {
    const guarded = await startServer({ boardCreateToken: 'maak-borden-0123456789abcdef' })
    try {
      const none = await create(guarded.url)
      expect(none.status).toBe(401)
      expect(await none.json()).toMatchObject({ needsToken: true })
      expect((await create(guarded.url, { authorization: 'Bearer fout' })).status).toBe(401)
      const ok = await create(guarded.url, { authorization: 'Bearer maak-borden-0123456789abcdef' })
      expect(ok.status).toBe(201)
    } finally {
      await guarded.close()
    }
  })

  it('[SL1] without BOARD_CREATE_TOKEN, only requests made on the server’s own machine create boards', async () => {
    expect((await create(app.url)).status).toBe(201)
    expect((await create(app.url, { origin: app.url })).status).toBe(201)
    // Relayed by a reverse proxy on this machine, or sent from a page of the public site: refused.
    const relayed: Record<string, string>[] = [
      { 'x-forwarded-for': '198.51.100.7' },
      { forwarded: 'for=198.51.100.7' },
      { 'x-real-ip': '198.51.100.7' },
      { origin: 'https://werkbord.example.nl' },
    ]
    for (const headers of relayed) {
      const res = await create(app.url, headers)
      expect(res.status).toBe(403)
      expect(((await res.json()) as { error: string }).error).toContain('BOARD_CREATE_TOKEN')
    }
  })

  it('[SL2] one address creates at most BOARDS_PER_HOUR boards an hour (429 with Retry-After)', async () => {
    const limited = await startServer({ boardCreatePerHour: 5 })
    try {
      const answers = await Promise.all(Array.from({ length: 8 }, () => create(limited.url)))
      expect(answers.map((res) => res.status).sort()).toEqual([201, 201, 201, 201, 201, 429, 429, 429])
      const refused = answers.find((res) => res.status === 429)
      expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0)
      // The limit is per address: boards made so far still work, and so does the rest of the API.
      expect((await fetch(`${limited.url}/healthz`)).status).toBe(200)
    } finally {
      await limited.close()
    }
  })
})
