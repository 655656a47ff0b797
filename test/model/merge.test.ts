import { describe, expect, it } from 'vitest'
import { createCard, restoreCard, setCriterion } from '../../model/cards.js'
import { linkCards, listLinks } from '../../model/links.js'
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
    const other = createCard(doc, { fields: { actie: 'Vitalisering verblijfsrecreatie' } })
    linkCards(doc, source, other, 'koppelkans')
    mergeCards(doc, target, source)
    expect(listLinks(doc).map(({ from, to, kind }) => ({ from, to, kind }))).toEqual([
      { from: target, to: other, kind: 'koppelkans' },
    ])
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
    expect(listCards(doc).map((card) => card.id)).toEqual([target, other])
    restoreCard(doc, source)
    expect(readCard(doc, source)?.fields.doel).toBe('Publiek-private samenwerking')
    expect(() => mergeCards(doc, target, target)).toThrow()
  })
})
