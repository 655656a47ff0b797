import { describe, expect, it } from 'vitest'
import { createCard } from '../../model/cards.js'
import { setVoting } from '../../model/voting.js'
import type { App } from '../../server/app.js'
import type { TestClient } from '../helpers/clients.js'
import { setBoardPhase } from '../helpers/phase.js'
import { createBoard } from '../helpers/server.js'
import { once } from '../helpers/wait.js'
import { clusterSuite } from './suite.js'

/** Personal invitations with two instances sharing one PostgreSQL database and one Redis. */
const suite = clusterSuite()
const client = suite.client
async function twoInstances(): Promise<[App, App]> {
  const { apps } = await suite.instances(2, { phaseGraceMs: 0 })
  return apps as unknown as [App, App]
}

async function nextClose(c: TestClient) {
  const [event] = await once<[CloseEvent | null]>(c.provider as never, 'connection-close')
  return { code: event?.code, reason: event?.reason }
}

describe('personal invitations on several instances', () => {
  it('[IV13] a revoke or the shared link switched off through one instance closes the holders on the other; one budget across instances', async () => {
    const [a, b] = await twoInstances()
    const board = await createBoard(a.url)
    const facilitator = client(a.url, board.id, board.tokens.facilitator)
    await facilitator.synced
    const card = createCard(facilitator.doc, { fields: { actie: 'kaart' } })
    setVoting(facilitator.doc, { budget: 3, multiplePerCard: true })
    await setBoardPhase(a.url, board, 'stemmen')
    const res = await fetch(`${a.url}/api/boards/${board.id}/invitations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${board.tokens.facilitator}` },
      body: JSON.stringify({ people: [{ name: 'Anna' }, { name: 'Bart' }] }),
    })
    const [anna, bart] = ((await res.json()) as { invitations: { id: string; token: string }[] })
      .invitations as [{ id: string; token: string }, { id: string; token: string }]
    // Votes through both instances at once, each with made-up voter ids: one budget.
    const votes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fetch(`${(i % 2 ? a : b).url}/api/boards/${board.id}/votes`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${anna.token}`,
            'x-werkbord-voter': `made-up-voter-${i}-${'y'.repeat(16)}`,
          },
          body: JSON.stringify({ cardId: card, delta: 1 }),
        }),
      ),
    )
    expect(votes.filter((r) => r.status === 200)).toHaveLength(3)

    const atB = client(b.url, board.id, anna.token)
    const bartAtB = client(b.url, board.id, bart.token)
    const sharedAtB = client(b.url, board.id, board.tokens.participant)
    await Promise.all([atB.synced, bartAtB.synced, sharedAtB.synced])
    const revoked = nextClose(atB)
    const revoke = await fetch(`${a.url}/api/boards/${board.id}/invitations/${anna.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${board.tokens.facilitator}` },
    })
    expect(revoke.status).toBe(200)
    expect(await revoked).toEqual({ code: 4401, reason: 'invitation revoked' })

    const switchedOff = nextClose(sharedAtB)
    const off = await fetch(`${a.url}/api/boards/${board.id}/shared-link`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${board.tokens.facilitator}` },
      body: JSON.stringify({ enabled: false }),
    })
    expect(off.status).toBe(200)
    expect(await switchedOff).toEqual({ code: 4401, reason: 'shared link off' })
    expect(bartAtB.provider.wsconnected).toBe(true)
    expect((await fetch(`${b.url}/api/boards/${board.id}?token=${board.tokens.participant}`)).status).toBe(
      403,
    )
    expect((await fetch(`${b.url}/api/boards/${board.id}?token=${anna.token}`)).status).toBe(401)
  }, 60_000)
})
