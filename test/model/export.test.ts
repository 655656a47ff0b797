import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createCard, deleteCard, moveCard, setCriterion, setText, toggleOption } from '../../model/cards.js'
import { exportBoard } from '../../model/export.js'
import { importCards } from '../../model/import.js'
import { linkCards } from '../../model/links.js'
import { validateExport } from '../../server/http/schemas.js'
import { newBoard } from './helpers.js'

const exportedAt = new Date(Date.UTC(2026, 10, 22, 12))

function filledBoard(): Y.Doc {
  const doc = newBoard()
  const ids = ['Regionaal woonakkoord sluiten', 'Jongeren in beeld', 'Pilot Praktijkleren'].map((actie) =>
    createCard(
      doc,
      { fields: { actie, thema: ['wonen'], partijen: ['Provincie', 'gemeenten'] } },
      { now: 1_700_000_000_000 },
    ),
  )
  setText(doc, ids[1] as string, 'doel', 'Elke jongere in beeld;\nook na zijn 18e — ‘samen’ ë é')
  setText(doc, ids[1] as string, 'planning', '2020', { part: 'kort' })
  toggleOption(doc, ids[1] as string, 'thema', 'onderwijs', true)
  moveCard(doc, ids[2] as string, 'shortlist')
  moveCard(doc, ids[1] as string, 'shortlist')
  return doc
}

describe('exportBoard', () => {
  it('exports the shortlist in lane order with numbers, all fields and timestamps', () => {
    const doc = filledBoard()
    const document = exportBoard(doc, { lane: 'shortlist', exportedAt })
    expect(validateExport(document)).toEqual([])
    expect(document.board).toEqual({
      id: 'board1',
      title: 'Werksessie',
      createdAt: '2026-11-01T00:00:00.000Z',
      exportedAt: '2026-11-22T12:00:00.000Z',
    })
    expect(document.cards.map((card) => [card.number, card.position, card.fields.actie])).toEqual([
      [3, 1, 'Pilot Praktijkleren'],
      [2, 2, 'Jongeren in beeld'],
    ])
    expect(document.cards[1]?.fields).toEqual({
      thema: ['wonen', 'onderwijs'],
      actie: 'Jongeren in beeld',
      doel: 'Elke jongere in beeld;\nook na zijn 18e — ‘samen’ ë é',
      schaalniveau: null,
      planning: { kort: '2020', lang: '' },
      partijen: ['Provincie', 'gemeenten'],
    })
    expect(document.cards[0]?.createdAt).toBe('2023-11-14T22:13:20.000Z')
    expect(document.themes).toHaveLength(6)
  })

  it('exports all lanes in template order and leaves out deleted cards', () => {
    const doc = filledBoard()
    const gone = createCard(doc, { fields: { actie: 'weg' } })
    deleteCard(doc, gone)
    const document = exportBoard(doc, { lane: 'all', exportedAt })
    expect(validateExport(document)).toEqual([])
    expect(document.cards.map((card) => `${card.lane}:${card.fields.actie}`)).toEqual([
      'longlist:Regionaal woonakkoord sluiten',
      'shortlist:Pilot Praktijkleren',
      'shortlist:Jongeren in beeld',
    ])
  })

  it('is pure: the same doc and time give the same document, and the doc is untouched', () => {
    const doc = filledBoard()
    const before = Y.encodeStateAsUpdate(doc)
    expect(exportBoard(doc, { lane: 'all', exportedAt })).toEqual(
      exportBoard(doc, { lane: 'all', exportedAt }),
    )
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before)
  })

  it('exports a card another client wrote with only some keys, with its unknown keys', () => {
    const doc = newBoard()
    const card = new Y.Map<unknown>()
    card.set('actie', new Y.Text('van buiten'))
    card.set('lane', 'shortlist')
    card.set('bron', new Y.Text('andere app'))
    doc.getMap('cards').set('x', card)
    const document = exportBoard(doc, { lane: 'shortlist', exportedAt })
    expect(validateExport(document)).toEqual([])
    expect(document.cards[0]).toMatchObject({
      id: 'x',
      number: 1,
      createdAt: null,
      fields: { actie: 'van buiten', bron: 'andere app' },
    })
  })

  it('round-trips: export → import into a blank board → export gives the same cards and fields', () => {
    const source = filledBoard()
    const first = exportBoard(source, { lane: 'all', exportedAt })
    const target = newBoard('blank')
    importCards(target, first.cards, { themes: first.themes })
    const second = exportBoard(target, { lane: 'all', exportedAt })
    const strip = (doc: typeof first) => doc.cards.map(({ number, fields }) => ({ number, fields }))
    expect(strip(second)).toEqual(strip(first))
    expect(second.cards.every((card) => card.lane === 'longlist')).toBe(true)
  })

  it('import keeps a card’s number when it is free on the board, and gives the next free one otherwise', () => {
    const doc = newBoard('blank')
    createCard(doc) // number 1
    importCards(doc, [
      { number: 7, fields: { actie: 'zeven' } },
      { number: 1, fields: { actie: 'een' } },
      { fields: { actie: 'geen' } },
    ])
    expect(
      exportBoard(doc, { lane: 'all', exportedAt }).cards.map((card) => [card.number, card.fields.actie]),
    ).toEqual([
      [1, ''],
      [7, 'zeven'],
      [2, 'een'],
      [3, 'geen'],
    ])
  })

  it('survives a malformed template in meta written by another client', () => {
    const doc = newBoard()
    createCard(doc, { fields: { actie: 'blijft leesbaar' } })
    doc.getMap('meta').set('template', { fields: 'kapot', lanes: [null, 3], themes: {} })
    const document = exportBoard(doc, { lane: 'all', exportedAt })
    expect(validateExport(document)).toEqual([])
    expect(document.cards.map((card) => card.fields.actie)).toEqual(['blijft leesbaar'])
    expect(document.lanes.map((lane) => lane.id)).toEqual(['longlist', 'shortlist'])
  })

  it('exports the selection criteria of the template, met or not, per card', () => {
    const doc = newBoard('pact-westfriesland-7.1')
    const id = createCard(doc, { fields: { actie: 'Strategie werklocaties' } })
    setCriterion(doc, id, 'draagvlak', true)
    setCriterion(doc, id, 'regionaal', true)
    setCriterion(doc, id, 'regionaal', false)
    const document = exportBoard(doc, { lane: 'all', exportedAt })
    expect(validateExport(document)).toEqual([])
    expect(document.criteria?.map((c) => c.id)).toEqual([
      'regionaal',
      'bijdrage-ambities',
      'draagvlak',
      'meerdere-ambities',
    ])
    expect(document.cards.find((card) => card.id === id)?.criteria).toEqual({
      regionaal: false,
      'bijdrage-ambities': false,
      draagvlak: true,
      'meerdere-ambities': false,
    })
  })

  it('exports links between exported cards by number, leaving out links to cards not exported', () => {
    const doc = newBoard()
    const [a, b, c] = ['A', 'B', 'C'].map((actie) => createCard(doc, { fields: { actie } })) as [
      string,
      string,
      string,
    ]
    linkCards(doc, a, b, 'koppelkans', 'samen op te pakken')
    linkCards(doc, c, a, 'dilemma')
    deleteCard(doc, c)
    expect(() => linkCards(doc, a, a, 'dilemma')).toThrow()
    const document = exportBoard(doc, { lane: 'all', exportedAt })
    expect(validateExport(document)).toEqual([])
    expect(document.links).toEqual([{ from: 1, to: 2, kind: 'koppelkans', note: 'samen op te pakken' }])
  })
})
