import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { canvasAllowed } from '../../client/board/join/clientConfig.js'
import { transformIndex } from '../../client/board/TextField.js'

/** The delta of a remote change to `before`, as a text field's observer receives it. */
function deltaOf(before: string, change: (text: Y.Text) => void): Y.YTextEvent['delta'] {
  const doc = new Y.Doc()
  const text = doc.getText('t')
  text.insert(0, before)
  let delta: Y.YTextEvent['delta'] = []
  text.observe((event) => {
    delta = event.delta
  })
  change(text)
  return delta
}

describe('caret position under remote edits', () => {
  it('[TF1] text inserted before the caret moves it right; after the caret leaves it', () => {
    const delta = deltaOf('woonakkoord', (t) => t.insert(0, 'Regionaal '))
    expect(transformIndex(4, delta)).toBe(14)
    const after = deltaOf('woonakkoord', (t) => t.insert(11, ' sluiten'))
    expect(transformIndex(4, after)).toBe(4)
  })

  it('[TF2] text deleted before the caret moves it left, a deletion around it lands it at the cut', () => {
    const before = deltaOf('Regionaal woonakkoord', (t) => t.delete(0, 10))
    expect(transformIndex(15, before)).toBe(5)
    const around = deltaOf('Regionaal woonakkoord', (t) => t.delete(5, 10))
    expect(transformIndex(8, around)).toBe(5)
  })
})

describe('where the canvas can run', () => {
  const at = (href: string) => new URL(href) as unknown as Location
  it('[CV1] without a licence key: on http and on localhost, not on other https origins', () => {
    expect(canvasAllowed({ tldrawLicenseKey: null }, at('http://werkbord.intern:8080/b/x'))).toBe(true)
    expect(canvasAllowed({ tldrawLicenseKey: null }, at('https://localhost/b/x'))).toBe(true)
    expect(canvasAllowed({ tldrawLicenseKey: null }, at('https://werkbord.regio.nl/b/x'))).toBe(false)
  })

  it('[CV2] with a licence key: everywhere', () => {
    expect(canvasAllowed({ tldrawLicenseKey: 'abc' }, at('https://werkbord.regio.nl/b/x'))).toBe(true)
  })
})
