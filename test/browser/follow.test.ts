import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { browserSuite, type TestPage } from '../helpers/browser.js'
import { connectClient } from '../helpers/clients.js'
import { type BoardInfo, createBoard } from '../helpers/server.js'

const suite = browserSuite()
let board: BoardInfo
let facilitator: TestPage
let participant: TestPage

type Camera = { x: number; y: number; z: number }
const camera = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { werkbordEditor: { getCamera(): Camera } }).werkbordEditor.getCamera(),
  )
const moveCamera = (page: Page, to: Camera) =>
  page.evaluate(
    (c) =>
      (window as unknown as { werkbordEditor: { setCamera(c: Camera): void } }).werkbordEditor.setCamera(c),
    to,
  )

beforeAll(async () => {
  board = await createBoard(suite.app.url, 'blank', 'Volgen')
  facilitator = await suite.open('Fleur', 'canvas')
  participant = await suite.open('Piet', 'canvas')
  await facilitator.page.goto(`${suite.app.url}/b/${board.id}?token=${board.tokens.facilitator}`)
  await participant.page.goto(`${suite.app.url}/b/${board.id}?token=${board.tokens.participant}`)
  for (const { page } of [facilitator, participant])
    await page.locator('.canvas-lane[data-lane="shortlist"]').waitFor({ timeout: 60_000 })
}, 90_000) // opening two canvases takes tens of seconds on a loaded 2-core machine

describe('follow the facilitator on the canvas', () => {
  it('[F1] with "Volg mij" on, the participant’s view follows the facilitator’s', async () => {
    await facilitator.page.locator('button[data-action="follow-me"]').click()
    await moveCamera(facilitator.page, { x: -1234, y: -567, z: 0.8 })
    await expect.poll(async () => Math.round((await camera(participant.page)).x)).toBe(-1234)
    expect((await camera(participant.page)).z).toBeCloseTo(0.8)
  })

  it('[F2] the participant can step out, and the facilitator can bring everyone over once', async () => {
    await participant.page.locator('button[data-action="step-out"]').click()
    await moveCamera(facilitator.page, { x: -300, y: -100, z: 1 })
    await expect.poll(async () => Math.round((await camera(facilitator.page)).x)).toBe(-300)
    expect(Math.round((await camera(participant.page)).x)).toBe(-1234)
    await facilitator.page.locator('button[data-action="bring-here"]').click()
    await expect.poll(async () => Math.round((await camera(participant.page)).x)).toBe(-300)
  })

  it('[F3] a participant cannot make others follow them: the role in presence is the server’s', async () => {
    const impostor = connectClient(suite.app.url, board.id, board.tokens.participant)
    await impostor.synced
    impostor.provider.awareness.setLocalState({
      user: { name: 'Aad (nep)', color: '#000000' }, // sorts before Fleur
      role: 'facilitator',
      follow: { x: -9999, y: -9999, z: 1 },
    })
    await participant.page.locator('button[data-action="step-out"]').click() // follow again
    await moveCamera(facilitator.page, { x: -777, y: -100, z: 1 })
    await expect.poll(async () => Math.round((await camera(participant.page)).x)).toBe(-777)
    expect(await participant.page.locator('.follow').textContent()).toContain('Je volgt Fleur')
    impostor.destroy()
  })
})
