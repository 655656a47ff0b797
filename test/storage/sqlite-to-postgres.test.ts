import { spawn } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCard } from '../../model/cards.js'
import { projectRoot } from '../../server/paths.js'
import { connectClient } from '../helpers/clients.js'
import { setBoardPhase } from '../helpers/phase.js'
import { type BoardInfo, createBoard, startServer } from '../helpers/server.js'
import { untilDoc } from '../helpers/wait.js'
import { type Postgres, startPostgres } from '../services/postgres.js'

let pg: Postgres
beforeAll(async () => {
  pg = await startPostgres()
}, 60_000)
afterAll(() => pg?.destroy())

/** Every board's JSON export (all lanes), without the moment of export. */
async function exports(url: string, boards: BoardInfo[]) {
  return Promise.all(
    boards.map(async (board) => {
      const res = await fetch(
        `${url}/api/boards/${board.id}/export?format=json&lane=all&token=${board.tokens.facilitator}`,
      )
      const body = (await res.json()) as { board: Record<string, unknown> }
      delete body.board.exportedAt
      return body
    }),
  )
}

function migrate(dataDir: string, databaseUrl: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(projectRoot, 'server/migrate-main.ts')],
    {
      cwd: projectRoot,
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })))
}

describe('npm run migrate:sqlite-to-postgres', () => {
  it('[MG1] moves every board (content, links, votes) from the SQLite file to PostgreSQL, exports equal before and after', {
    timeout: 60_000,
  }, async () => {
    const embedded = await startServer({ compactEvery: 5 })
    const boards = [
      await createBoard(embedded.url, 'blank', 'Eerste'),
      await createBoard(embedded.url, 'blank', 'Tweede'),
    ]
    for (const [i, board] of boards.entries()) {
      const c = connectClient(embedded.url, board.id, board.tokens.facilitator)
      await c.synced
      for (let n = 0; n < 8 + i; n++) createCard(c.doc, { fields: { actie: `kaart ${i}.${n}` } })
      const check = connectClient(embedded.url, board.id, board.tokens.observer)
      await untilDoc(check.doc, () => check.doc.getMap('cards').size === 8 + i)
      const firstCard = [...c.doc.getMap('cards').keys()][0] as string
      c.destroy()
      check.destroy()
      await setBoardPhase(embedded.url, board, 'stemmen')
      const vote = await fetch(`${embedded.url}/api/boards/${board.id}/votes`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${board.tokens.participant}`,
          'content-type': 'application/json',
          'x-werkbord-voter': 'x'.repeat(20),
        },
        body: JSON.stringify({ cardId: firstCard, delta: 1 }),
      })
      expect(vote.status).toBe(200)
      const reveal = await fetch(`${embedded.url}/api/boards/${board.id}/votes/reveal`, {
        method: 'POST',
        headers: { authorization: `Bearer ${board.tokens.facilitator}`, 'content-type': 'application/json' },
        body: JSON.stringify({ revealed: true }),
      })
      expect(reveal.status).toBe(200)
    }
    const before = await exports(embedded.url, boards)
    await embedded.close()

    const databaseUrl = await pg.createDatabase()
    const first = await migrate(embedded.dataDir, databaseUrl)
    expect(first.output).toContain('Moved 2 boards (2 vote rows)')
    expect(first.code).toBe(0)
    const again = await migrate(embedded.dataDir, databaseUrl)
    expect(again.output).toContain('Moved 0 boards (0 vote rows)')
    expect(again.output).toContain('2 were there already')

    const clustered = await startServer({ databaseUrl })
    try {
      expect(await exports(clustered.url, boards)).toEqual(before)
      // The old links still work, and the votes are there: the participant has 4 of 5 left.
      const mine = await fetch(`${clustered.url}/api/boards/${(boards[0] as BoardInfo).id}/votes`, {
        headers: {
          authorization: `Bearer ${(boards[0] as BoardInfo).tokens.participant}`,
          'x-werkbord-voter': 'x'.repeat(20),
        },
      })
      expect(((await mine.json()) as { remaining: number }).remaining).toBe(4)
    } finally {
      await clustered.close()
    }
  })

  it('[IV14] the move brings personal invitations (token hashes) and the switched-off shared link along', {
    timeout: 60_000,
  }, async () => {
    const embedded = await startServer()
    const board = await createBoard(embedded.url, 'blank', 'Uitnodigingen')
    const headers = {
      authorization: `Bearer ${board.tokens.facilitator}`,
      'content-type': 'application/json',
    }
    const invited = await fetch(`${embedded.url}/api/boards/${board.id}/invitations`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ people: [{ name: 'Anna', organisation: 'Gemeente Hoorn' }, { name: 'Bart' }] }),
    })
    const [anna] = ((await invited.json()) as { invitations: { token: string }[] }).invitations as [
      { token: string },
    ]
    await fetch(`${embedded.url}/api/boards/${board.id}/shared-link`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ enabled: false }),
    })
    await embedded.close()
    const databaseUrl = await pg.createDatabase()
    expect((await migrate(embedded.dataDir, databaseUrl)).code).toBe(0)
    const clustered = await startServer({ databaseUrl })
    try {
      const info = await fetch(`${clustered.url}/api/boards/${board.id}?token=${anna.token}`)
      expect(await info.json()).toMatchObject({ role: 'participant', invitee: { name: 'Anna' } })
      expect(
        (await fetch(`${clustered.url}/api/boards/${board.id}?token=${board.tokens.participant}`)).status,
      ).toBe(403)
      const status = await fetch(`${clustered.url}/api/boards/${board.id}/invitations`, { headers })
      expect(
        ((await status.json()) as { invitations: { name: string }[] }).invitations.map((i) => i.name),
      ).toEqual(['Anna', 'Bart'])
    } finally {
      await clustered.close()
    }
  })

  it('[MG2] templates made on the instance move along; a board made from one in PostgreSQL has its structure', {
    timeout: 60_000,
  }, async () => {
    const embedded = await startServer()
    const board = await createBoard(embedded.url, 'pact-westfriesland-7.1', 'Bron')
    const saved = await fetch(`${embedded.url}/api/templates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ board: board.id, token: board.tokens.facilitator, cards: true, title: 'Eigen' }),
    })
    expect(saved.status).toBe(201)
    const { id } = (await saved.json()) as { id: string }
    await embedded.close()

    const databaseUrl = await pg.createDatabase()
    const first = await migrate(embedded.dataDir, databaseUrl)
    expect(first.output).toContain('Copied 1 templates')
    expect(first.code).toBe(0)
    const again = await migrate(embedded.dataDir, databaseUrl)
    expect(again.output).toContain('Copied 0 templates')
    expect(again.code).toBe(0)

    const clustered = await startServer({ databaseUrl })
    try {
      const list = (await (await fetch(`${clustered.url}/api/templates`)).json()) as {
        templates: { id: string; title: string; cards: number }[]
      }
      expect(list.templates.find((t) => t.id === id)).toMatchObject({ title: 'Eigen', cards: 20 })
      const made = await createBoard(clustered.url, id, 'Uit eigen template in PostgreSQL')
      const [source, copy] = (await exports(clustered.url, [board, made])) as unknown as {
        themes: unknown[]
        cards: unknown[]
      }[]
      expect(copy?.themes).toEqual(source?.themes)
      expect(copy?.cards).toHaveLength(20)
    } finally {
      await clustered.close()
    }
  })
})
