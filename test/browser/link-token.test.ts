import { beforeAll, describe, expect, it } from 'vitest'
import { browserSuite, screenshot, type TestPage } from '../helpers/browser.js'
import { type BoardInfo, createBoard } from '../helpers/server.js'

let board: BoardInfo
const CREATE_TOKEN = 'nieuwe-borden-0123456789abcdef'

const suite = browserSuite({ boardCreateToken: CREATE_TOKEN })
beforeAll(async () => {
  board = await createBoard(suite.app.url, 'blank', 'Linkbord', { authorization: `Bearer ${CREATE_TOKEN}` })
})

async function open(name?: string): Promise<TestPage> {
  const tp = await suite.open(name, 'list')
  return tp
}

describe('tokens in the browser', () => {
  it('[SF1] the board link’s token leaves the address bar once the board has loaded; a reload still works', async () => {
    const tp = await open('Anouk')
    await tp.page.goto(`${suite.app.url}/b/${board.id}?token=${board.tokens.participant}`)
    await tp.page.locator('[data-connection="connected"]').waitFor()
    expect(new URL(tp.page.url()).search).toBe('')
    expect(await tp.page.evaluate(() => location.href)).not.toContain(board.tokens.participant)
    await tp.page.reload()
    await tp.page.locator('[data-connection="connected"]').waitFor()
    expect(new URL(tp.page.url()).pathname).toBe(`/b/${board.id}`)
  })

  it('[SL1] the start page asks for BOARD_CREATE_TOKEN once, then this browser keeps it', async () => {
    const tp = await open()
    await tp.page.goto(`${suite.app.url}/`)
    await tp.page.getByRole('radio').first().check()
    await tp.page.getByRole('button', { name: 'Bord maken' }).click()
    const field = tp.page.getByLabel('Toegangscode voor nieuwe borden')
    await field.waitFor()
    await field.fill('verkeerd')
    await tp.page.getByRole('button', { name: 'Bord maken' }).click()
    await tp.page.getByRole('alert').filter({ hasText: 'Deze toegangscode klopt niet.' }).waitFor()
    for (const [name, width, height] of [
      ['start-token-phone', 390, 844],
      ['start-token-laptop', 1440, 900],
      ['start-token-beamer', 1920, 1080],
    ] as const) {
      await tp.page.setViewportSize({ width, height })
      await screenshot(tp.page, name)
    }
    await field.fill(CREATE_TOKEN)
    await tp.page.getByRole('button', { name: 'Bord maken' }).click()
    await tp.page.getByRole('heading', { name: 'Links voor dit bord' }).waitFor()
    // Next time: no question, the kept token is sent.
    await tp.page.reload()
    await tp.page.getByRole('radio').first().check()
    await tp.page.getByRole('button', { name: 'Bord maken' }).click()
    await tp.page.getByRole('heading', { name: 'Links voor dit bord' }).waitFor()
    expect(await tp.page.getByLabel('Toegangscode voor nieuwe borden').count()).toBe(0)
  })
})
