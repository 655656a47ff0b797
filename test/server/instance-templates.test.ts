import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deleteCard, moveCard, setPosition, setText } from '../../model/cards.js'
import { MetaKey, metaOf, templateOf } from '../../model/layout.js'
import { listCards } from '../../model/read.js'
import type { App } from '../../server/app.js'
import { projectRoot } from '../../server/paths.js'
import { TEMPLATE_LIMITS } from '../../server/templates/instance-templates.js'
import { connectClient } from '../helpers/clients.js'
import { type BoardInfo, createBoard, startServer } from '../helpers/server.js'
import { untilDoc } from '../helpers/wait.js'

const SECRET = 'de-geheime-code-voor-nieuwe-borden'
let app: App
let pact: BoardInfo

const creator = { authorization: `Bearer ${SECRET}` }

beforeAll(async () => {
  app = await startServer({ boardCreateToken: SECRET })
  pact = await createBoard(app.url, 'pact-westfriesland-7.1', 'Werksessie Pact 7.1', creator)
})
afterAll(async () => {
  await app.close()
})

const send = (method: string, route: string, body?: unknown, headers: Record<string, string> = creator) =>
  fetch(`${app.url}${route}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  })

interface Summary {
  id: string
  title: string
  description: string
  themes: number
  cards: number
  builtIn: boolean
  createdAt?: string
}

const listed = async (): Promise<Summary[]> =>
  ((await (await fetch(`${app.url}/api/templates`)).json()) as { templates: Summary[] }).templates

interface Exported {
  themes: unknown[]
  lanes: unknown[]
  criteria?: unknown[]
  fields: unknown[]
  template: { id: string; title: string }
  board: { title: string }
  cards: { number: number; lane: string; fields: Record<string, unknown> }[]
}

const exportOf = async (board: BoardInfo): Promise<Exported> => {
  const res = await fetch(`${app.url}/api/boards/${board.id}/export?format=json&lane=all`, {
    headers: { authorization: `Bearer ${board.tokens.facilitator}` },
  })
  expect(res.status).toBe(200)
  return (await res.json()) as Exported
}

const structure = (doc: Exported) => ({
  themes: doc.themes,
  lanes: doc.lanes,
  criteria: doc.criteria,
  fields: doc.fields,
})
const cardsOf = (doc: Exported) => doc.cards.map(({ number, lane, fields }) => ({ number, lane, fields }))

/** A board whose structure and cards differ from its built-in template: a theme, a field and a criterion more. */
async function editedBoard(): Promise<BoardInfo> {
  const board = await createBoard(app.url, 'pact-westfriesland-7.1', 'Bord om te bewaren', creator)
  const facilitator = connectClient(app.url, board.id, board.tokens.facilitator)
  const watcher = connectClient(app.url, board.id, board.tokens.observer)
  await Promise.all([facilitator.synced, watcher.synced])
  const doc = facilitator.doc
  const [first, second, third] = listCards(doc)
  doc.transact(() => {
    const template = templateOf(doc)
    metaOf(doc).set(MetaKey.template, {
      ...template,
      themes: [...template.themes, { id: 'water', label: 'Water en klimaat', color: '#1166aa' }],
      fields: [...template.fields, { id: 'budget', kind: 'text', label: 'Budget' }],
      criteria: [...(template.criteria ?? []), { id: 'haalbaar', label: 'Haalbaar in 2027' }],
    })
  })
  moveCard(doc, first?.id as string, 'shortlist')
  deleteCard(doc, second?.id as string)
  setText(doc, third?.id as string, 'actie', '=Wijzigde actie met “aanhalingstekens” en 🚲')
  setText(doc, third?.id as string, 'budget', '€ 40.000')
  setPosition(doc, third?.id as string, { x: 120, y: -40 })
  await untilDoc(
    watcher.doc,
    () => {
      const seen = listCards(watcher.doc)
      return (
        templateOf(watcher.doc).themes.some((t) => t.id === 'water') &&
        seen.some((c) => c.fields.budget === '€ 40.000' && c.pos?.x === 120) &&
        seen.some((c) => c.lane === 'shortlist') &&
        !seen.some((c) => c.id === second?.id)
      )
    },
    10_000,
    'the edits to reach the server',
  )
  facilitator.destroy()
  watcher.destroy()
  return board
}

describe('templates made on this instance (issue 12)', () => {
  it('[TP1] a board saved as a template makes new boards with the same themes, fields, criteria, lanes — and cards when included', async () => {
    const source = await editedBoard()
    const before = await exportOf(source)
    expect(before.themes).toContainEqual({ id: 'water', label: 'Water en klimaat', color: '#1166aa' })

    const withCards = await send('POST', '/api/templates', {
      board: source.id,
      token: source.tokens.facilitator,
      cards: true,
    })
    expect(withCards.status).toBe(201)
    const saved = (await withCards.json()) as Summary
    expect(saved).toMatchObject({ title: 'Bord om te bewaren', builtIn: false, cards: 19, themes: 7 })
    expect(saved.id).toMatch(/^[0-9a-z]{12}$/)

    const fromTemplate = await createBoard(app.url, saved.id, 'Nieuw bord uit eigen template', creator)
    const made = await exportOf(fromTemplate)
    expect(structure(made)).toEqual(structure(before))
    expect(cardsOf(made)).toEqual(cardsOf(before))
    expect(made.template.id).toBe(saved.id)
    expect(made.cards.find((c) => c.fields.budget === '€ 40.000')).toMatchObject({ lane: 'longlist' })
    expect(made.cards.filter((c) => c.lane === 'shortlist')).toHaveLength(1)

    const structureOnly = await send('POST', '/api/templates', {
      board: source.id,
      token: source.tokens.facilitator,
      title: 'Alleen de opzet',
      description: 'Thema’s, velden en criteria van de Pact-sessie',
    })
    expect(structureOnly.status).toBe(201)
    const bare = (await structureOnly.json()) as Summary
    expect(bare).toMatchObject({ title: 'Alleen de opzet', cards: 0, themes: 7 })
    const empty = await exportOf(await createBoard(app.url, bare.id, 'Leeg uit eigen template', creator))
    expect(structure(empty)).toEqual(structure(before))
    expect(empty.cards).toEqual([])
    // The source board is untouched.
    expect(await exportOf(source)).toMatchObject({ cards: before.cards })
  })

  it('[TP2] the start page lists instance templates after the built-in ones; an uploaded id never shadows a built-in one', async () => {
    const blank = JSON.parse(fs.readFileSync(path.join(projectRoot, 'templates/blank.json'), 'utf8'))
    const upload = await send('POST', '/api/templates', {
      template: {
        ...blank,
        title: 'Mijn eigen lege bord',
        themes: [{ id: 'a', label: 'A', color: '#aa0000' }],
      },
    })
    expect(upload.status).toBe(201)
    const own = (await upload.json()) as Summary
    expect(own.id).not.toBe('blank')
    const list = await fetch(`${app.url}/api/templates`) // no token: listing is open, like the start page
    expect(list.status).toBe(200)
    const templates = ((await list.json()) as { templates: Summary[] }).templates
    const builtIns = templates.filter((t) => t.builtIn).map((t) => t.id)
    expect(builtIns).toEqual(expect.arrayContaining(['blank', 'pact-westfriesland-7.1']))
    expect(templates.slice(0, builtIns.length).every((t) => t.builtIn)).toBe(true)
    expect(templates.find((t) => t.id === own.id)).toMatchObject({
      title: 'Mijn eigen lege bord',
      builtIn: false,
      themes: 1,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    })
    // "blank" is still the built-in one; the upload makes boards like any built-in template.
    expect((await exportOf(await createBoard(app.url, 'blank', 'x', creator))).themes).toEqual([])
    const fromOwn = await exportOf(await createBoard(app.url, own.id, 'Uit upload', creator))
    expect(fromOwn.themes).toEqual([{ id: 'a', label: 'A', color: '#aa0000' }])
    expect(fromOwn.template).toEqual({ id: own.id, title: 'Mijn eigen lege bord' })
    // Read back whole (with the right), the stored template carries its new id and no $schema.
    const whole = await send('GET', `/api/templates/${own.id}`)
    expect(whole.status).toBe(200)
    expect(await whole.json()).toEqual({
      ...blank,
      $schema: undefined,
      id: own.id,
      title: 'Mijn eigen lege bord',
      themes: [{ id: 'a', label: 'A', color: '#aa0000' }],
    })
  })

  it('[TP3] hostile uploads get a clear error naming the place, nothing is saved, and the server stays up', async () => {
    const blank = JSON.parse(fs.readFileSync(path.join(projectRoot, 'templates/blank.json'), 'utf8'))
    const countBefore = (await listed()).length
    const problemsOf = async (body: unknown) => {
      const res = await send('POST', '/api/templates', body)
      const answer = (await res.json()) as { error: string; problems?: { path: string; keyword?: string }[] }
      return { status: res.status, ...answer }
    }
    // Not JSON at all.
    expect((await problemsOf('{"template": {')).status).toBe(400)
    // Wrong schema: a field without kind, no lanes, an unknown property; every place named.
    const wrong = await problemsOf({
      template: { ...blank, fields: [{ id: 'x', label: 'X' }], lanes: [], kleur: 'rood' },
    })
    expect(wrong.status).toBe(400)
    expect(wrong.error).toBe('Invalid template: nothing was saved')
    expect(wrong.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '/fields/0', keyword: 'required' }),
        expect.objectContaining({ path: '/lanes', keyword: 'minItems' }),
        expect.objectContaining({ path: '/', keyword: 'additionalProperties' }),
      ]),
    )
    // Text Word and Excel refuse (a control character), deep inside.
    const control = await problemsOf({
      template: { ...blank, lanes: [{ id: 'longlist', label: 'Long\u0007list' }] },
    })
    expect(control.problems).toEqual([
      { path: '/lanes/0/label', message: expect.any(String), keyword: 'xmlChar' },
    ])
    // Too many fields, too many cards.
    const fields = Array.from({ length: TEMPLATE_LIMITS.fields + 1 }, (_, i) => ({
      id: `f${i}`,
      kind: 'text',
      label: `Veld ${i}`,
    }))
    expect((await problemsOf({ template: { ...blank, fields } })).problems).toEqual([
      expect.objectContaining({ path: '/fields', keyword: 'maxItems' }),
    ])
    const cards = Array.from({ length: TEMPLATE_LIMITS.cards + 1 }, () => ({ fields: { actie: 'x' } }))
    expect((await problemsOf({ template: { ...blank, cards } })).problems).toEqual([
      expect.objectContaining({ path: '/cards', keyword: 'maxItems' }),
    ])
    // Duplicate ids and a card in an unknown lane: what the schema cannot say.
    const inconsistent = await problemsOf({
      template: {
        ...blank,
        lanes: [...blank.lanes, { id: 'longlist', label: 'Nog eens' }],
        cards: [{ lane: 'ergens', fields: {} }],
      },
    })
    expect(inconsistent.problems).toEqual([
      expect.objectContaining({ path: '/lanes/2/id', keyword: 'duplicate' }),
      expect.objectContaining({ path: '/cards/0/lane', keyword: 'unknown-lane' }),
    ])
    // Neither an upload nor a board; an array.
    expect((await problemsOf({ iets: 1 })).status).toBe(400)
    expect((await problemsOf([blank])).status).toBe(400)
    // Larger than a template may be.
    const huge = await send('POST', '/api/templates', {
      template: { ...blank, description: 'x'.repeat(TEMPLATE_LIMITS.bytes + 10) },
    })
    expect(huge.status).toBe(413)
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200)
    expect(await listed()).toHaveLength(countBefore)
  })

  it('[TP4] making, reading and deleting templates needs the board-creation right; saving a board needs its facilitator token', async () => {
    const anonymous = await send('POST', '/api/templates', { template: {} }, {})
    expect(anonymous.status).toBe(401)
    expect(await anonymous.json()).toMatchObject({ needsToken: true })
    expect(
      (await send('POST', '/api/templates', { template: {} }, { authorization: 'Bearer fout' })).status,
    ).toBe(401)
    const blank = JSON.parse(fs.readFileSync(path.join(projectRoot, 'templates/blank.json'), 'utf8'))
    const own = (await (await send('POST', '/api/templates', { template: blank })).json()) as Summary
    expect((await send('GET', `/api/templates/${own.id}`)).status).toBe(200)
    expect((await send('GET', `/api/templates/${own.id}`, undefined, {})).status).toBe(401)
    expect((await send('DELETE', `/api/templates/${own.id}`, undefined, {})).status).toBe(401)
    const asParticipant = await send('POST', '/api/templates', {
      board: pact.id,
      token: pact.tokens.participant,
    })
    expect(asParticipant.status).toBe(403)
    const wrongToken = await send('POST', '/api/templates', { board: pact.id, token: 'x'.repeat(32) })
    expect(wrongToken.status).toBe(401)
    const otherBoard = await send('POST', '/api/templates', {
      board: 'bestaatniet1',
      token: pact.tokens.facilitator,
    })
    expect(otherBoard.status).toBe(401)
    expect((await send('PUT', '/api/templates', {})).status).toBe(405)
    // A path that is not valid percent-encoding, or names nothing: 404, not a server error.
    expect((await send('GET', '/api/templates/%E0%A4%A')).status).toBe(404)
    expect((await send('DELETE', '/api/templates/bestaat-niet')).status).toBe(404)
    expect((await send('GET', '/api/templates/a/b')).status).toBe(404)
  })

  it('[TP5] without BOARD_CREATE_TOKEN only this machine makes templates, as it makes boards', async () => {
    const local = await startServer()
    try {
      const from = (headers: Record<string, string>) =>
        fetch(`${local.url}/api/templates`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({
            template: JSON.parse(fs.readFileSync(path.join(projectRoot, 'templates/blank.json'), 'utf8')),
          }),
        })
      expect((await from({ 'x-forwarded-for': '198.51.100.7' })).status).toBe(403)
      expect((await from({})).status).toBe(201)
    } finally {
      await local.close()
    }
  })

  it('[TP6] a deleted template is gone from the list and makes no more boards; its boards keep their copy; built-ins stay', async () => {
    const blank = JSON.parse(fs.readFileSync(path.join(projectRoot, 'templates/blank.json'), 'utf8'))
    const own = (await (
      await send('POST', '/api/templates', { template: { ...blank, title: 'Weg ermee' } })
    ).json()) as Summary
    const board = await createBoard(app.url, own.id, 'Gemaakt voor het verwijderen', creator)
    const deleted = await send('DELETE', `/api/templates/${own.id}`)
    expect(deleted.status).toBe(200)
    expect((await listed()).some((t) => t.id === own.id)).toBe(false)
    expect((await send('POST', '/api/boards', { template: own.id })).status).toBe(400)
    expect((await send('DELETE', `/api/templates/${own.id}`)).status).toBe(404)
    expect((await exportOf(board)).template).toEqual({ id: own.id, title: 'Weg ermee' })
    expect((await send('DELETE', '/api/templates/blank')).status).toBe(409)
    expect((await listed()).some((t) => t.id === 'blank')).toBe(true)
  })

  it('[TP7] a template with more starting cards than a board may hold makes no board (413)', async () => {
    const small = await startServer({ maxBoardCards: 10 })
    try {
      const blank = JSON.parse(fs.readFileSync(path.join(projectRoot, 'templates/blank.json'), 'utf8'))
      const cards = Array.from({ length: 11 }, (_, i) => ({ fields: { actie: `Actie ${i}` } }))
      const res = await fetch(`${small.url}/api/templates`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ template: { ...blank, cards } }),
      })
      expect(res.status).toBe(201)
      const { id } = (await res.json()) as Summary
      const board = await fetch(`${small.url}/api/boards`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ template: id }),
      })
      expect(board.status).toBe(413)
    } finally {
      await small.close()
    }
  })
})

describe('duplicating a board (Mijn borden, issue 12)', () => {
  it('[MB1] a duplicate is a new board with the same structure, cards, lanes and places; the source is untouched', async () => {
    const source = await editedBoard()
    const before = await exportOf(source)
    const res = await send('POST', '/api/boards', {
      duplicate: { board: source.id, token: source.tokens.facilitator },
      title: 'Bord om te bewaren (kopie)',
    })
    expect(res.status).toBe(201)
    const copy = (await res.json()) as BoardInfo & { title: string; templateId: string }
    expect(copy.id).not.toBe(source.id)
    expect(copy).toMatchObject({ title: 'Bord om te bewaren (kopie)', templateId: 'pact-westfriesland-7.1' })
    expect(Object.values(copy.tokens)).not.toContain(source.tokens.facilitator)
    const after = await exportOf(copy)
    expect(structure(after)).toEqual(structure(before))
    expect(cardsOf(after)).toEqual(cardsOf(before))
    expect(after.board.title).toBe('Bord om te bewaren (kopie)')
    // Canvas places come along.
    const viewer = connectClient(app.url, copy.id, copy.tokens.observer)
    await viewer.synced
    expect(listCards(viewer.doc).find((c) => c.fields.budget === '€ 40.000')?.pos).toEqual({ x: 120, y: -40 })
    viewer.destroy()
    expect(await exportOf(source)).toMatchObject({ cards: before.cards })
    // Without a title: the source's title.
    const untitled = await send('POST', '/api/boards', {
      duplicate: { board: source.id, token: source.tokens.facilitator },
    })
    expect(((await untitled.json()) as { title: string }).title).toBe('Bord om te bewaren')
  })

  it('[MB2] only the facilitator duplicates, with the board-creation right, within BOARDS_PER_HOUR', async () => {
    const participant = await send('POST', '/api/boards', {
      duplicate: { board: pact.id, token: pact.tokens.participant },
    })
    expect(participant.status).toBe(403)
    const wrong = await send('POST', '/api/boards', { duplicate: { board: pact.id, token: 'y'.repeat(32) } })
    expect(wrong.status).toBe(401)
    const malformed = await send('POST', '/api/boards', { duplicate: 'pact' })
    expect(malformed.status).toBe(400)
    const noRight = await send(
      'POST',
      '/api/boards',
      { duplicate: { board: pact.id, token: pact.tokens.facilitator } },
      {},
    )
    expect(noRight.status).toBe(401)
    const limited = await startServer({ boardCreatePerHour: 2 })
    try {
      const board = await createBoard(limited.url, 'blank', 'Eén')
      const duplicate = () =>
        fetch(`${limited.url}/api/boards`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ duplicate: { board: board.id, token: board.tokens.facilitator } }),
        })
      expect((await duplicate()).status).toBe(201)
      const third = await duplicate()
      expect(third.status).toBe(429)
      expect(third.headers.get('retry-after')).toMatch(/^\d+$/)
    } finally {
      await limited.close()
    }
  })
})
