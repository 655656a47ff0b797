import { describe, expect, it } from 'vitest'
import { createCard, restoreCard, setCriterion } from '../../model/cards.js'
import { mergeCards } from '../../model/merge.js'
import { listCards, readCard } from '../../model/read.js'
import { newBoard } from './helpers.js'

describe('merging duplicate cards', () => {
  it('[M1] joins texts, unites parties, themes and criteria, and keeps the duplicate recoverable', () => {
    const doc = newBoard('pact-westfriesland-7.1')
    const target = createCard(doc, {
      fields: {
        actie: 'Regiomarketing organiseren',
        doel: 'Sterk merk',
        thema: ['vrije-tijd'],
        partijen: ['Ondernemers'],
      },
    })
    const source = createCard(doc, {
      fields: {
        actie: 'Regiomarketing organiseren',
        doel: 'Publiek-private samenwerking',
        thema: ['economie'],
        partijen: ['Ondernemers', 'Provincie'],
        schaalniveau: 'regionaal',
        planning: { kort: 'Opzetten', lang: '' },
      },
    })
    setCriterion(doc, source, 'draagvlak', true)
    mergeCards(doc, target, source)
    expect(readCard(doc, target)).toMatchObject({
      fields: {
        actie: 'Regiomarketing organiseren',
        doel: 'Sterk merk\n\nPubliek-private samenwerking',
        thema: ['vrije-tijd', 'economie'],
        partijen: ['Ondernemers', 'Provincie'],
        schaalniveau: 'regionaal',
        planning: { kort: 'Opzetten', lang: '' },
      },
      criteria: ['draagvlak'],
    })
    expect(listCards(doc).map((card) => card.id)).toEqual([target])
    restoreCard(doc, source)
    expect(readCard(doc, source)?.fields.doel).toBe('Publiek-private samenwerking')
    expect(() => mergeCards(doc, target, target)).toThrow()
  })
})
