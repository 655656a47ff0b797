import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  createCard,
  fieldText,
  moveCard,
  setCriterion,
  setPosition,
  toggleOption,
} from '../../model/cards.js'
import { cardsOf, templateOf } from '../../model/layout.js'
import { cardFaceView, readCard } from '../../model/read.js'
import { cardTitle } from '../../model/views/title.js'
import { newBoard } from './helpers.js'

// What a card face shows is read by cardFaceView (model/read.ts): the same values as the whole card's
// reading, and nothing else, so an edit the face does not show reads the same.
describe('the card face reading', () => {
  it('[FV1] reads number, lane, criteria, the actie and the themes exactly as the whole card reads them', () => {
    const doc = newBoard('pact-westfriesland-7.1')
    const id = createCard(doc, {
      fields: {
        actie: 'Regionaal woonakkoord sluiten\nmet de corporaties',
        thema: ['zorg', 'wonen'],
        doel: 'Meer betaalbare woningen',
        partijen: ['Provincie'],
      },
    })
    moveCard(doc, id, 'shortlist')
    const criterion = templateOf(doc).criteria?.[0]?.id as string
    setCriterion(doc, id, criterion, true)
    const card = readCard(doc, id)
    const face = cardFaceView(doc, id, card?.number ?? 0)
    expect(face).toEqual({
      id,
      number: card?.number,
      lane: 'shortlist',
      fields: { actie: card?.fields.actie, thema: card?.fields.thema },
      criteria: [criterion],
    })
    expect(face?.fields.thema).toEqual(['wonen', 'zorg']) // the template's order, as the card reads
    expect(cardTitle(face as NonNullable<typeof face>)).toBe('Regionaal woonakkoord sluiten')
    expect(cardFaceView(doc, 'no such card', 1)).toBeUndefined()
  })

  it('[FV2] reads the same after an edit the face does not show, and differently after one it shows', () => {
    const doc = newBoard('pact-westfriesland-7.1')
    const id = createCard(doc, { fields: { actie: 'Fietsroutes', thema: ['vrije-tijd'] } })
    const before = JSON.stringify(cardFaceView(doc, id, 1))
    fieldText(doc, id, 'doel').insert(0, 'Meer toerisme')
    setPosition(doc, id, { x: 40, y: 80 })
    expect(JSON.stringify(cardFaceView(doc, id, 1))).toBe(before)
    toggleOption(doc, id, 'thema', 'economie', true)
    expect(JSON.stringify(cardFaceView(doc, id, 1))).not.toBe(before)
  })

  it('[FV3] a template without an actie field: the card’s own actie still gives the face its title', () => {
    const doc = newBoard()
    const id = createCard(doc, { fields: { actie: 'Eigen titel' } })
    const card = cardsOf(doc).get(id) as Y.Map<unknown>
    const template = doc.getMap('meta').get('template') as { fields: { id: string }[] }
    doc
      .getMap('meta')
      .set('template', { ...template, fields: template.fields.filter((f) => f.id !== 'actie') })
    expect(card.get('actie')).toBeInstanceOf(Y.Text)
    expect(cardFaceView(doc, id, 1)?.fields.actie).toBe(readCard(doc, id)?.fields.actie)
    expect(cardFaceView(doc, id, 1)?.fields.actie).toBe('Eigen titel')
  })
})
