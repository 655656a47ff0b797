import fs from 'node:fs'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCard, moveCard } from '../../model/cards.js'
import { setVoting } from '../../model/voting.js'
import type { App } from '../../server/app.js'
import { connectClient } from '../helpers/clients.js'
import { setBoardPhase } from '../helpers/phase.js'
import { type BoardInfo, createBoard, startServer } from '../helpers/server.js'
import { once, untilDoc } from '../helpers/wait.js'

let app: App & { dataDir: string }

beforeAll(async () => {
  app = await startServer({ phaseGraceMs: 0 })
})
afterAll(async () => {
  await app.close()
})

interface Invitation {
  id: string
  name: string
  organisation: string | null
  link: string
  token: string
}

async function invite(board: BoardInfo, people: unknown, token = board.tokens.facilitator) {
  return fetch(`${app.url}/api/boards/${board.id}/invitations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ people }),
  })
}

async function invited(board: BoardInfo, people: { name: string; organisation?: string }[]) {
  const res = await invite(board, people)
  expect(res.status).toBe(201)
  return ((await res.json()) as { invitations: Invitation[] }).invitations
}

const api = (board: BoardInfo, route: string, token: string, init: RequestInit = {}) =>
  fetch(`${app.url}/api/boards/${board.id}${route}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
  })

/** The close code and reason of a provider's next closed connection. */
async function nextClose(client: ReturnType<typeof connectClient>) {
  const [event] = await once<[CloseEvent | null]>(client.provider as never, 'connection-close')
  return { code: event?.code, reason: event?.reason }
}

describe('personal invitations', () => {
  it('[IV5] a personal link votes at most its budget whatever voter ids it sends: 200 made-up voter ids = one budget', async () => {
    const board = await createBoard(app.url, 'blank')
    const facilitator = connectClient(app.url, board.id, board.tokens.facilitator)
    await facilitator.synced
    const card = createCard(facilitator.doc, { fields: { actie: 'één kaart' } })
    setVoting(facilitator.doc, { budget: 5, multiplePerCard: true })
    facilitator.destroy()
    await setBoardPhase(app.url, board, 'stemmen')
    const [anna] = (await invited(board, [{ name: 'Anna de Vries' }])) as [Invitation]
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        api(board, '/votes', anna.token, {
          method: 'POST',
          headers: {
            'x-werkbord-voter': `verzonnen-stemmer-${String(i).padStart(3, '0')}-${'x'.repeat(10)}`,
          },
          body: JSON.stringify({ cardId: card, delta: 1 }),
        }),
      ),
    )
    expect(responses.filter((r) => r.status === 200)).toHaveLength(5)
    expect(responses.filter((r) => r.status === 409)).toHaveLength(195)
    // Without any voter id, or with yet another one: the same voter, nothing left.
    const mine = await api(board, '/votes', anna.token)
    expect(await mine.json()).toMatchObject({ votes: { [card]: 5 }, remaining: 0 })
    const reveal = await api(board, '/votes/reveal', board.tokens.facilitator, {
      method: 'POST',
      body: JSON.stringify({ revealed: true }),
    })
    expect(reveal.status).toBe(200)
    const check = connectClient(app.url, board.id, board.tokens.observer)
    await check.synced
    await untilDoc(check.doc, () => check.doc.getMap('votes').get(card) === 5)
    expect(check.doc.getMap('meta').get('voters')).toBe(1)
    check.destroy()
  })

  it('[IV6] the facilitator invites people; each link is a participant with its name; only hashes are stored', async () => {
    const board = await createBoard(app.url, 'blank')
    const people = await invited(board, [
      { name: '  Anna   de Vries ', organisation: 'Gemeente Hoorn' },
      { name: 'Bart (voorzitter)' },
    ])
    expect(people).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-z]{12}$/),
        name: 'Anna de Vries',
        organisation: 'Gemeente Hoorn',
        link: `${app.url}/b/${board.id}?token=${people[0]?.token}`,
        token: expect.stringMatching(/^[0-9A-Za-z]{32}$/),
      },
      expect.objectContaining({ name: 'Bart (voorzitter)', organisation: null }),
    ])
    const info = await api(board, '', people[0]?.token as string)
    expect(await info.json()).toMatchObject({ role: 'participant', invitee: { name: 'Anna de Vries' } })
    const shared = await api(board, '', board.tokens.participant)
    expect(await shared.json()).not.toHaveProperty('invitee')
    // Only the facilitator invites, sees and revokes.
    for (const token of [board.tokens.participant, board.tokens.observer, people[0]?.token as string]) {
      expect((await invite(board, [{ name: 'X' }], token)).status).toBe(403)
      expect((await api(board, '/invitations', token)).status).toBe(403)
      expect((await api(board, `/invitations/${people[1]?.id}`, token, { method: 'DELETE' })).status).toBe(
        403,
      )
      expect(
        (await api(board, '/shared-link', token, { method: 'POST', body: '{"enabled":false}' })).status,
      ).toBe(403)
    }
    // Hostile bodies: a clear 400, nothing added.
    for (const body of [
      undefined,
      [],
      [{}],
      [{ name: '' }],
      [{ name: 7 }],
      [{ name: 'x'.repeat(101) }],
      [{ name: 'A', organisation: 5 }],
      'Anna',
    ]) {
      expect((await invite(board, body)).status).toBe(400)
    }
    expect((await api(board, '/invitations', board.tokens.facilitator)).status).toBe(200)
    const listed = (await (await api(board, '/invitations', board.tokens.facilitator)).json()) as {
      invitations: unknown[]
    }
    expect(listed.invitations).toHaveLength(2)
    expect(JSON.stringify(listed)).not.toContain(people[0]?.token)
    // The database holds no token, only hashes.
    const db = fs.readFileSync(path.join(app.dataDir, 'werkbord.sqlite'))
    const wal = fs.existsSync(path.join(app.dataDir, 'werkbord.sqlite-wal'))
      ? fs.readFileSync(path.join(app.dataDir, 'werkbord.sqlite-wal'))
      : Buffer.alloc(0)
    for (const person of people) {
      expect(db.includes(person.token)).toBe(false)
      expect(wal.includes(person.token)).toBe(false)
    }
    expect(Buffer.concat([db, wal]).includes('Anna de Vries')).toBe(true)
    // At most 1000 people at once and on a board: beyond, a clear refusal and nothing added.
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `Persoon ${i}` }))
    expect((await invite(board, many(1001))).status).toBe(400)
    expect((await invite(board, many(998))).status).toBe(201)
    const full = await invite(board, many(1))
    expect(full.status).toBe(409)
    expect(await full.json()).toEqual({
      error: 'A board holds at most 1000 invitations; it has 1000: nothing was added',
    })
  })

  it('[IV7] a revoked link is cut off at once: its open socket closes (4401), HTTP and reconnecting are refused, others stay', async () => {
    const board = await createBoard(app.url, 'blank')
    const [anna, bart] = (await invited(board, [{ name: 'Anna' }, { name: 'Bart' }])) as [
      Invitation,
      Invitation,
    ]
    const a = connectClient(app.url, board.id, anna.token)
    const b = connectClient(app.url, board.id, bart.token)
    await Promise.all([a.synced, b.synced])
    const closed = nextClose(a)
    const res = await api(board, `/invitations/${anna.id}`, board.tokens.facilitator, { method: 'DELETE' })
    expect(await res.json()).toEqual({ revoked: anna.id, disconnected: 1 })
    expect(await closed).toEqual({ code: 4401, reason: 'invitation revoked' })
    expect(b.provider.wsconnected).toBe(true)
    expect((await api(board, '', anna.token)).status).toBe(401)
    expect((await api(board, '/votes', anna.token)).status).toBe(401)
    const again = connectClient(app.url, board.id, anna.token)
    expect(await nextClose(again)).toEqual({ code: 4401, reason: 'unauthorized' })
    expect(
      (await api(board, `/invitations/${anna.id}`, board.tokens.facilitator, { method: 'DELETE' })).status,
    ).toBe(404)
    for (const c of [a, b, again]) c.destroy()
  })

  it('[IV8] with the shared link off only invitees join: the shared token is refused and its sockets closed', async () => {
    const board = await createBoard(app.url, 'blank')
    const [anna] = (await invited(board, [{ name: 'Anna' }])) as [Invitation]
    const shared = connectClient(app.url, board.id, board.tokens.participant)
    const observer = connectClient(app.url, board.id, board.tokens.observer)
    await Promise.all([shared.synced, observer.synced])
    const closed = nextClose(shared)
    const off = await api(board, '/shared-link', board.tokens.facilitator, {
      method: 'POST',
      body: JSON.stringify({ enabled: false }),
    })
    expect(await off.json()).toEqual({ enabled: false, disconnected: 1 })
    expect(await closed).toEqual({ code: 4401, reason: 'shared link off' })
    expect(observer.provider.wsconnected).toBe(true)
    const refused = await api(board, '', board.tokens.participant)
    expect(refused.status).toBe(403)
    expect(await refused.json()).toEqual({
      error: 'The shared participant link is switched off: ask the facilitator for your personal link',
      sharedLinkOff: true,
    })
    const retry = connectClient(app.url, board.id, board.tokens.participant)
    expect(await nextClose(retry)).toEqual({ code: 4401, reason: 'shared link off' })
    const invitee = connectClient(app.url, board.id, anna.token)
    await invitee.synced
    expect(await (await api(board, '/shared-link', board.tokens.facilitator)).json()).toEqual({
      enabled: false,
    })
    expect((await (await api(board, '/invitations', board.tokens.facilitator)).json()).sharedLink).toBe(false)
    const on = await api(board, '/shared-link', board.tokens.facilitator, {
      method: 'POST',
      body: JSON.stringify({ enabled: true }),
    })
    expect(await on.json()).toEqual({ enabled: true, disconnected: 0 })
    expect((await api(board, '', board.tokens.participant)).status).toBe(200)
    expect(
      (
        await api(board, '/shared-link', board.tokens.facilitator, {
          method: 'POST',
          body: '{"enabled":"no"}',
        })
      ).status,
    ).toBe(400)
    for (const c of [shared, observer, retry, invitee]) c.destroy()
  })

  it('[IV9] the facilitator sees per invitee whether they joined and voted (never what); presence and "moved by" carry the invitee’s name', async () => {
    const board = await createBoard(app.url, 'blank')
    const [anna, bart] = (await invited(board, [
      { name: 'Anna de Vries', organisation: 'Provincie' },
      { name: 'Bart' },
    ])) as [Invitation, Invitation]
    const facilitator = connectClient(app.url, board.id, board.tokens.facilitator)
    await facilitator.synced
    const card = createCard(facilitator.doc, { fields: { actie: 'kaart' } })
    const a = connectClient(app.url, board.id, anna.token)
    await a.synced
    // Anna's browser claims to be someone else: others see, and the server writes, her invited name.
    a.provider.awareness.setLocalStateField('user', { name: 'Bart', color: '#2b5fa8' })
    await expect
      .poll(
        async () => (await (await api(board, '/connections', board.tokens.facilitator)).json()).connections,
      )
      .toContainEqual({ role: 'participant', name: 'Anna de Vries' })
    // Everyone else sees her presence under her invited name, stamped by the server.
    await expect
      .poll(() =>
        [...facilitator.provider.awareness.getStates().values()].map(
          (state) => (state as { user?: { name?: string } }).user?.name,
        ),
      )
      .toContain('Anna de Vries')
    expect(
      [...facilitator.provider.awareness.getStates().values()].some(
        (state) => (state as { user?: { name?: string } }).user?.name === 'Bart',
      ),
    ).toBe(false)
    await untilDoc(a.doc, () => a.doc.getMap('cards').has(card))
    await setBoardPhase(app.url, board, 'selecteren', 'everyone')
    await untilDoc(a.doc, () => a.doc.getMap('meta').get('selectionBy') === 'everyone')
    moveCard(a.doc, card, 'shortlist')
    await untilDoc(
      facilitator.doc,
      () =>
        (facilitator.doc.getMap('cards').get(card) as { get(k: string): unknown } | undefined)?.get(
          'movedBy',
        ) === 'Anna de Vries',
    )
    await setBoardPhase(app.url, board, 'stemmen')
    const voted = await api(board, '/votes', anna.token, {
      method: 'POST',
      body: JSON.stringify({ cardId: card, delta: 1 }),
    })
    expect(voted.status).toBe(200)
    const status = await (await api(board, '/invitations', board.tokens.facilitator)).json()
    expect(status).toEqual({
      sharedLink: true,
      invitations: [
        {
          id: anna.id,
          name: 'Anna de Vries',
          organisation: 'Provincie',
          createdAt: expect.any(String),
          joinedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          voted: true,
        },
        {
          id: bart.id,
          name: 'Bart',
          organisation: null,
          createdAt: expect.any(String),
          joinedAt: null,
          voted: false,
        },
      ],
    })
    expect(JSON.stringify(status)).not.toContain(card)
    facilitator.destroy()
    a.destroy()
  })

  it('[IV10] a list of people is read from CSV or XLSX (Naam, Organisatie), with or without a header row', async () => {
    const board = await createBoard(app.url, 'blank')
    const read = (body: BodyInit, type: string) =>
      api(board, '/invitations/read', board.tokens.facilitator, {
        method: 'POST',
        headers: { 'content-type': type },
        body,
      })
    const csv = await read(
      '\ufeffNaam;Organisatie\r\nAnna de Vries;Gemeente Hoorn\r\n;\r\nBart;\r\n',
      'text/csv',
    )
    expect(await csv.json()).toEqual({
      people: [
        { name: 'Anna de Vries', organisation: 'Gemeente Hoorn' },
        { name: 'Bart', organisation: null },
      ],
      problems: [],
    })
    const bare = await read('Cees,Waterschap\nDirk', 'text/csv')
    expect((await bare.json()).people).toEqual([
      { name: 'Cees', organisation: 'Waterschap' },
      { name: 'Dirk', organisation: null },
    ])
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('Deelnemers')
    sheet.addRow(['Organisatie', 'Naam'])
    sheet.addRow(['Provincie Noord-Holland', 'Eva'])
    const xlsx = await read(
      new Uint8Array(await workbook.xlsx.writeBuffer()),
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    )
    expect((await xlsx.json()).people).toEqual([{ name: 'Eva', organisation: 'Provincie Noord-Holland' }])
    expect((await read('x', 'application/json')).status).toBe(415)
    expect((await read('Naam\n'.padEnd(2 * 1024 * 1024, 'x'), 'text/csv')).status).toBe(413)
    expect(
      (
        await read(
          new Uint8Array([0x50, 0x4b, 1, 2]),
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        )
      ).status,
    ).toBe(200)
  })
})
