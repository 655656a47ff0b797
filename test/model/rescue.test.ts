import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createCard, setText } from '../../model/cards.js'
import { exportBoard } from '../../model/export.js'
import { unsavedTexts } from '../../model/rescue.js'
import { newBoard } from './helpers.js'

describe('texts a refused browser copy would lose (model/rescue.ts)', () => {
  it('lists edited and new texts the board does not hold, and nothing it does', () => {
    const board = newBoard()
    const kept = createCard(board, { fields: { actie: 'Fietsroutes', doel: 'Veilig naar school' } })
    const edited = createCard(board, { fields: { actie: 'Woonzorg', planning: { kort: 'Verkennen' } } })
    // The browser's copy: the same board plus offline work the server then refused.
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(board))
    setText(copy, edited, 'doel', 'Tien proeftuinen in 2027')
    setText(copy, edited, 'planning', 'Verkennen en starten', { part: 'kort' })
    const offline = createCard(copy, { fields: { actie: 'Nieuw idee, offline bedacht' } })
    const saved = exportBoard(copy, { lane: 'all' })

    const lost = unsavedTexts(saved, board)
    expect(lost.map(({ cardId, field, text }) => [cardId, field, text])).toEqual([
      [edited, 'Doel', 'Tien proeftuinen in 2027'],
      [edited, 'Planning – Korte termijn', 'Verkennen en starten'],
      [offline, 'Actie', 'Nieuw idee, offline bedacht'],
    ])
    expect(lost.some((entry) => entry.cardId === kept)).toBe(false)
    expect(lost[2]?.title).toBe('Nieuw idee, offline bedacht')
  })

  it('finds nothing once the board holds the same texts', () => {
    const board = newBoard()
    createCard(board, { fields: { actie: 'Fietsroutes', planning: { lang: 'Uitvoeren' } } })
    expect(unsavedTexts(exportBoard(board, { lane: 'all' }), board)).toEqual([])
  })
})
