import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCard } from '../../model/cards.js'
import type { App } from '../../server/app.js'
import { connectClient, nextCloseCode } from '../helpers/clients.js'
import { type BoardInfo, createBoard, startServer } from '../helpers/server.js'

let app: App
let board: BoardInfo

beforeAll(async () => {
  app = await startServer()
  board = await createBoard(app.url, 'blank')
})
afterAll(async () => {
  await app.close()
})

const scrape = async () => {
  const res = await fetch(`${app.url}/metrics`)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toContain('text/plain')
  return res.text()
}
const value = (text: string, name: string) =>
  Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN)

describe('/metrics', () => {
  it('[MT1] counts rooms, connections, traffic, appends and refusals, and names no board or token', async () => {
    const before = await scrape()
    const client = connectClient(app.url, board.id, board.tokens.participant)
    await client.synced
    createCard(client.doc, { fields: { actie: 'teller' } })
    const wrong = connectClient(app.url, board.id, 'x'.repeat(32))
    expect(await nextCloseCode(wrong.provider)).toBe(4401)
    wrong.destroy()
    await expect
      .poll(async () => value(await scrape(), 'werkbord_appended_updates_total'))
      .toBeGreaterThan(value(before, 'werkbord_appended_updates_total'))
    const after = await scrape()
    expect(value(after, 'werkbord_rooms')).toBe(1)
    expect(value(after, 'werkbord_connections')).toBe(1)
    expect(value(after, 'werkbord_messages_in_total')).toBeGreaterThan(
      value(before, 'werkbord_messages_in_total'),
    )
    expect(value(after, 'werkbord_bytes_out_total')).toBeGreaterThan(
      value(before, 'werkbord_bytes_out_total'),
    )
    expect(value(after, 'werkbord_append_seconds_count')).toBeGreaterThan(0)
    expect(value(after, 'werkbord_rejected_total\\{reason="unauthorized"\\}')).toBeGreaterThanOrEqual(1)
    for (const secret of [board.id, ...Object.values(board.tokens)]) expect(after).not.toContain(secret)
    client.destroy()
  })
})

describe('/metrics access', () => {
  it('[SF3] /metrics needs METRICS_TOKEN when set; unset, it answers only requests made on the machine itself', async () => {
    const guarded = await startServer({ metricsToken: 'geheim-metrics-token-0123456789' })
    try {
      expect((await fetch(`${guarded.url}/metrics`)).status).toBe(401)
      const wrong = await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer fout' } })
      expect(wrong.status).toBe(401)
      const right = await fetch(`${guarded.url}/metrics`, {
        headers: { authorization: 'Bearer geheim-metrics-token-0123456789' },
      })
      expect(right.status).toBe(200)
      expect(await right.text()).toContain('werkbord_rooms')
    } finally {
      await guarded.close()
    }
    // Unset: a request relayed by a proxy on this machine (it says whom for) is not the machine itself.
    const proxied = await fetch(`${app.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } })
    expect(proxied.status).toBe(403)
    expect(((await proxied.json()) as { error: string }).error).toContain('METRICS_TOKEN')
    const fromPage = await fetch(`${app.url}/metrics`, { headers: { origin: 'https://werkbord.example.nl' } })
    expect(fromPage.status).toBe(403)
    expect((await fetch(`${app.url}/metrics`)).status).toBe(200)
  })
})
