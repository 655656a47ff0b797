import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { projectRoot } from '../server/paths.js'
import { loadTemplates, parseTemplate, TemplateError } from '../server/templates/templates.js'
import { startServer, tempDir } from './helpers/server.js'

const templatesDir = path.join(projectRoot, 'templates')
const blank = fs.readFileSync(path.join(templatesDir, 'blank.json'), 'utf8')

describe('templates', () => {
  it('[T1] every shipped template validates, and blank and the Pact template are there', () => {
    const templates = loadTemplates(templatesDir)
    expect([...templates.keys()]).toEqual(expect.arrayContaining(['blank', 'pact-westfriesland-7.1']))
    for (const template of templates.values()) {
      expect(template.fields.map((field) => field.id)).toEqual(
        expect.arrayContaining(['thema', 'actie', 'doel', 'schaalniveau', 'planning', 'partijen']),
      )
      for (const field of template.fields) expect(field.label).not.toBe('')
    }
  })

  it('[T2] the Pact template has the six themes of the seed and Dutch labels with help texts', () => {
    const pact = loadTemplates(templatesDir).get('pact-westfriesland-7.1')
    expect(pact?.themes.map((theme) => theme.label)).toEqual([
      'Wonen en Leefbaarheid',
      'Energietransitie en klimaatadaptatie',
      'Onderwijs en Arbeidsmarkt',
      'Vrije tijd',
      'Ondernemen en Economie',
      'Zorg en Sociaal domein',
    ])
    expect(pact?.fields.every((field) => (field.help ?? '').length > 10)).toBe(true)
    expect(pact?.criteria).toHaveLength(4)
  })

  it('[T3] a broken template is refused with its file name and the path of each error', () => {
    const broken = JSON.parse(blank)
    broken.fields[1].kind = 'essay'
    broken.lanes = []
    let error: unknown
    try {
      parseTemplate('blank.json', JSON.stringify(broken))
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(TemplateError)
    const { file, problems, message } = error as TemplateError
    expect(file).toBe('blank.json')
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(['/fields/1/kind', '/lanes']))
    expect(message).toContain('blank.json')
  })

  it('[T4] consistency: duplicate ids, reserved field ids, unknown lanes and themes, and a file name mismatch', () => {
    const broken = JSON.parse(blank)
    broken.fields.push(
      { id: 'actie', kind: 'text', label: 'Nog eens' },
      { id: 'lane', kind: 'text', label: 'Baan' },
    )
    broken.cards = [{ lane: 'prullenbak', fields: { thema: ['onbekend'] } }]
    const error = (() => {
      try {
        parseTemplate('leeg.json', JSON.stringify(broken))
      } catch (e) {
        return e as TemplateError
      }
    })()
    expect(error?.problems.map((p) => p.path)).toEqual([
      '/id',
      '/fields/6/id',
      '/fields/7/id',
      '/cards/0/lane',
      '/cards/0/fields/thema',
    ])
    expect(() => parseTemplate('x.json', '{ niet json')).toThrow(/x\.json.*not valid JSON/)
  })

  it('[T5] the server does not start with a broken template, and says which', async () => {
    const dir = tempDir()
    fs.writeFileSync(path.join(dir, 'blank.json'), blank)
    fs.writeFileSync(path.join(dir, 'kapot.json'), JSON.stringify({ id: 'kapot', title: 'Kapot' }))
    await expect(startServer({ templatesDir: dir })).rejects.toThrow(
      /kapot\.json.*\/.*must have required property/,
    )
  })
})
