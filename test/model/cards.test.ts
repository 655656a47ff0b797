import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  addListItem,
  createCard,
  deleteCard,
  duplicateCard,
  fieldText,
  moveCard,
  removeListItem,
  reorderCard,
  restoreCard,
  setChoice,
  setPosition,
  setText,
  toggleOption,
} from '../../model/cards.js'
import { cardsOf } from '../../model/layout.js'
import { listCards, readCard } from '../../model/read.js'
import { newBoard, replica, sync } from './helpers.js'

describe('cards', () => {
  it('creates a card with every template field, read as plain values', () => {
    const doc = newBoard()
    const id = createCard(doc, {
      fields: { actie: 'Regionaal woonakkoord sluiten', thema: ['wonen'], partijen: ['Provincie'] },
    })
    const card = readCard(doc, id)
    expect(card?.lane).toBe('longlist')
    expect(card?.fields).toEqual({
      thema: ['wonen'],
      actie: 'Regionaal woonakkoord sluiten',
      doel: '',
      schaalniveau: null,
      planning: { kort: '', lang: '' },
      partijen: ['Provincie'],
    })
    expect(card?.number).toBe(1)
    expect(cardsOf(doc).get(id)).toBeInstanceOf(Y.Map)
  })

  it('stores free text as Y.Text and keeps Dutch characters and line breaks exactly', () => {
    const doc = newBoard()
    const id = createCard(doc)
    const text = 'Één regio’s “ambitie”\nmet ë, é en ü — en een tweede regel.'
    setText(doc, id, 'doel', text)
    setText(doc, id, 'planning', 'Opzetten in ’20-’21', { part: 'kort' })
    expect(fieldText(doc, id, 'doel')).toBeInstanceOf(Y.Text)
    expect(readCard(doc, id)?.fields.doel).toBe(text)
    expect(readCard(doc, id)?.fields.planning).toEqual({ kort: 'Opzetten in ’20-’21', lang: '' })
  })

  it('edits choice, multi-choice and list fields', () => {
    const doc = newBoard()
    const id = createCard(doc)
    setChoice(doc, id, 'schaalniveau', 'regionaal')
    toggleOption(doc, id, 'thema', 'zorg', true)
    toggleOption(doc, id, 'thema', 'wonen', true)
    toggleOption(doc, id, 'thema', 'zorg', false)
    addListItem(doc, id, 'partijen', 'GGD')
    addListItem(doc, id, 'partijen', 'HHNK', { index: 0 })
    removeListItem(doc, id, 'partijen', 1)
    const fields = readCard(doc, id)?.fields
    expect(fields?.schaalniveau).toBe('regionaal')
    expect(fields?.thema).toEqual(['wonen'])
    expect(fields?.partijen).toEqual(['HHNK'])
  })

  it('reads a card written by another client with only some keys, and keeps its unknown keys', () => {
    const doc = newBoard()
    const foreign = new Y.Map<unknown>()
    foreign.set('actie', new Y.Text('Alleen een actie'))
    foreign.set('lane', 'shortlist')
    foreign.set('kleur', 'geel')
    cardsOf(doc).set('extern1', foreign)
    const card = readCard(doc, 'extern1')
    expect(card?.lane).toBe('shortlist')
    expect(card?.fields).toMatchObject({
      actie: 'Alleen een actie',
      doel: '',
      thema: [],
      partijen: [],
      schaalniveau: null,
    })
    expect(card?.fields.kleur).toBe('geel')
    // Editing it through the model keeps the unknown key.
    setText(doc, 'extern1', 'doel', 'Nieuw doel')
    expect(cardsOf(doc).get('extern1')).toBeInstanceOf(Y.Map)
    expect(readCard(doc, 'extern1')?.fields.kleur).toBe('geel')
    expect(listCards(doc, { lane: 'shortlist' }).map((c) => c.id)).toEqual(['extern1'])
  })

  it('tolerates plain strings where the model stores Y.Text', () => {
    const doc = newBoard()
    const foreign = new Y.Map<unknown>()
    foreign.set('actie', 'platte tekst')
    foreign.set('planning', 'ooit')
    cardsOf(doc).set('extern2', foreign)
    expect(readCard(doc, 'extern2')?.fields.planning).toEqual({ kort: 'ooit', lang: '' })
    setText(doc, 'extern2', 'actie', 'platte tekst, nu bewerkt')
    setText(doc, 'extern2', 'planning', 'later', { part: 'lang' })
    expect(readCard(doc, 'extern2')?.fields).toMatchObject({
      actie: 'platte tekst, nu bewerkt',
      planning: { kort: 'ooit', lang: 'later' },
    })
  })

  it('soft-deletes and restores a card with all its content', () => {
    const doc = newBoard()
    const id = createCard(doc, { fields: { actie: 'Pilot Praktijkleren' } })
    deleteCard(doc, id)
    expect(listCards(doc)).toEqual([])
    expect(listCards(doc, { includeDeleted: true })[0]?.deletedAt).toBeTypeOf('number')
    restoreCard(doc, id)
    expect(listCards(doc).map((c) => c.fields.actie)).toEqual(['Pilot Praktijkleren'])
  })

  it('moves cards between lanes and reorders them', () => {
    const doc = newBoard()
    const [a, b, c] = ['A', 'B', 'C'].map((actie) => createCard(doc, { fields: { actie } })) as [
      string,
      string,
      string,
    ]
    const actions = (lane: string) => listCards(doc, { lane }).map((card) => card.fields.actie)
    expect(actions('longlist')).toEqual(['A', 'B', 'C'])
    moveCard(doc, b, 'shortlist')
    moveCard(doc, c, 'shortlist', 0)
    expect(actions('longlist')).toEqual(['A'])
    expect(actions('shortlist')).toEqual(['C', 'B'])
    reorderCard(doc, c, 1)
    expect(actions('shortlist')).toEqual(['B', 'C'])
    moveCard(doc, a, 'shortlist', 1)
    expect(actions('shortlist')).toEqual(['B', 'A', 'C'])
    expect(() => moveCard(doc, a, 'elders')).toThrow(/Unknown lane/)
  })

  it('duplicates a card right after the original, with its fields and a new number', () => {
    const doc = newBoard()
    const a = createCard(doc, { fields: { actie: 'A', partijen: ['GGD'] }, pos: { x: 0, y: 0 } })
    createCard(doc, { fields: { actie: 'B' } })
    const copy = duplicateCard(doc, a)
    expect(listCards(doc).map((card) => card.fields.actie)).toEqual(['A', 'A', 'B'])
    expect(readCard(doc, copy)).toMatchObject({
      number: 3,
      pos: { x: 40, y: 40 },
      fields: { partijen: ['GGD'] },
    })
    setText(doc, copy, 'actie', 'A2')
    expect(readCard(doc, a)?.fields.actie).toBe('A')
  })

  it('keeps the position apart from the content', () => {
    const doc = newBoard()
    const id = createCard(doc, { pos: { x: 10, y: 20 } })
    setPosition(doc, id, { x: 300, y: 40 })
    expect(readCard(doc, id)?.pos).toEqual({ x: 300, y: 40 })
    expect(() => setPosition(doc, id, { x: Number.NaN, y: 0 })).toThrow()
  })
})

describe('concurrent edits', () => {
  it('merges two people typing in the same field character by character', () => {
    const a = newBoard()
    const id = createCard(a, { fields: { actie: 'Strategie werklocaties' } })
    const b = replica(a)
    setText(a, id, 'actie', 'Regionale strategie werklocaties')
    setText(b, id, 'actie', 'Strategie werklocaties opstellen')
    sync(a, b)
    expect(readCard(a, id)?.fields.actie).toBe('Regionale strategie werklocaties opstellen')
    expect(readCard(b, id)?.fields.actie).toBe(readCard(a, id)?.fields.actie)
  })

  it('keeps both edits when two people edit different fields of one card', () => {
    const a = newBoard()
    const id = createCard(a)
    const b = replica(a)
    setText(a, id, 'actie', 'Jongeren in beeld')
    setText(b, id, 'doel', 'Geen jongere uit beeld')
    sync(a, b)
    expect(readCard(a, id)?.fields).toMatchObject({
      actie: 'Jongeren in beeld',
      doel: 'Geen jongere uit beeld',
    })
  })

  it('keeps a text edit when another person moves the card at the same time', () => {
    const a = newBoard()
    const id = createCard(a, { fields: { actie: 'Regiomarketing' } })
    const b = replica(a)
    setText(a, id, 'actie', 'Regiomarketing organiseren')
    setPosition(b, id, { x: 500, y: 500 })
    moveCard(b, id, 'shortlist')
    sync(a, b)
    const card = readCard(a, id)
    expect(card?.fields.actie).toBe('Regiomarketing organiseren')
    expect(card?.pos).toEqual({ x: 500, y: 500 })
    expect(card?.lane).toBe('shortlist')
  })

  it('keeps both themes and both parties added at the same time', () => {
    const a = newBoard()
    const id = createCard(a)
    const b = replica(a)
    toggleOption(a, id, 'thema', 'wonen', true)
    toggleOption(b, id, 'thema', 'zorg', true)
    addListItem(a, id, 'partijen', 'GGD')
    addListItem(b, id, 'partijen', 'Provincie')
    sync(a, b)
    const fields = readCard(a, id)?.fields ?? {}
    expect(fields.thema).toEqual(['wonen', 'zorg'])
    expect([...(fields.partijen as string[])].sort()).toEqual(['GGD', 'Provincie'])
  })

  it('gives cards created at once on two replicas distinct numbers, the same on both', () => {
    const a = newBoard()
    createCard(a)
    const b = replica(a)
    const x = createCard(a, {}, { now: 1000 })
    const y = createCard(b, {}, { now: 2000 })
    sync(a, b)
    const numbers = (doc: Y.Doc) => listCards(doc).map((card) => [card.id, card.number])
    expect(numbers(a)).toEqual(numbers(b))
    expect(readCard(a, x)?.number).toBe(2)
    expect(readCard(a, y)?.number).toBe(3)
  })

  it('orders concurrent inserts at the same place the same way everywhere, and can insert between them', () => {
    const a = newBoard()
    const first = createCard(a, { fields: { actie: 'eerste' } })
    const b = replica(a)
    const x = createCard(a, { fields: { actie: 'x' } })
    const y = createCard(b, { fields: { actie: 'y' } })
    sync(a, b)
    const order = (doc: Y.Doc) => listCards(doc, { lane: 'longlist' }).map((card) => card.id)
    expect(order(a)).toEqual(order(b))
    const [, second, third] = order(a)
    const z = createCard(a, { fields: { actie: 'z' } })
    moveCard(a, z, 'longlist', 2)
    expect(order(a)).toEqual([first, second, z, third])
    expect(new Set([second, third])).toEqual(new Set([x, y]))
  })
})
