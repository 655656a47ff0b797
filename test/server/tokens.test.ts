import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../server/app.js'
import { connectClient, nextCloseCode } from '../helpers/clients.js'
import { createBoard, startServer } from '../helpers/server.js'

let app: App

beforeAll(async () => {
  app = await startServer()
})
afterAll(async () => {
  await app.close()
})

describe('links and who is connected', () => {
  it('[K1] the facilitator sees who is connected with which role and name', async () => {
    const board = await createBoard(app.url, 'blank')
    const anna = connectClient(app.url, board.id, board.tokens.participant)
    const olaf = connectClient(app.url, board.id, board.tokens.observer)
    await Promise.all([anna.synced, olaf.synced])
    anna.provider.awareness.setLocalStateField('user', { name: 'Anna', color: '#2b5fa8' })
    const list = async () => {
      const res = await fetch(`${app.url}/api/boards/${board.id}/connections`, {
        headers: { authorization: `Bearer ${board.tokens.facilitator}` },
      })
      return ((await res.json()) as { connections: { role: string; name: string | null }[] }).connections
    }
    await expect.poll(list).toEqual(
      expect.arrayContaining([
        { role: 'participant', name: 'Anna' },
        { role: 'observer', name: null },
      ]),
    )
    const denied = await fetch(`${app.url}/api/boards/${board.id}/connections`, {
      headers: { authorization: `Bearer ${board.tokens.participant}` },
    })
    expect(denied.status).toBe(403)
    anna.destroy()
    olaf.destroy()
  })

  it('[K2] replacing a link stops the old one at once and disconnects its holders; the new one works', async () => {
    const board = await createBoard(app.url, 'blank')
    const holder = connectClient(app.url, board.id, board.tokens.participant)
    const other = connectClient(app.url, board.id, board.tokens.observer)
    await Promise.all([holder.synced, other.synced])
    const closed = nextCloseCode(holder.provider)
    const res = await fetch(`${app.url}/api/boards/${board.id}/tokens/participant`, {
      method: 'POST',
      headers: { authorization: `Bearer ${board.tokens.facilitator}` },
    })
    expect(res.status).toBe(200)
    const { token, link, disconnected } = (await res.json()) as {
      token: string
      link: string
      disconnected: number
    }
    expect(disconnected).toBe(1)
    expect(await closed).toBe(4401)
    expect(link).toBe(`${app.url}/b/${board.id}?token=${token}`)
    expect(other.provider.wsconnected).toBe(true)
    const old = await fetch(`${app.url}/api/boards/${board.id}?token=${board.tokens.participant}`)
    expect(old.status).toBe(401)
    const fresh = await fetch(`${app.url}/api/boards/${board.id}?token=${token}`)
    expect(await fresh.json()).toMatchObject({ role: 'participant' })
    const byParticipant = await fetch(`${app.url}/api/boards/${board.id}/tokens/observer`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    })
    expect(byParticipant.status).toBe(403)
    holder.destroy()
    other.destroy()
  })
})
