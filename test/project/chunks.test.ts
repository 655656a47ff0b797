import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ClientBuild } from '../../scripts/client-chunks.js'
import { projectRoot } from '../../server/paths.js'

/**
 * What a phone downloads before it can join a board, read from the build (`npm run build`; `npm test`
 * builds first): Vite's manifest says which chunk imports which, each chunk's source map names the
 * modules it holds (scripts/client-chunks.ts). Checked by module name, never by size (sizes are
 * bench/list-view.ts's figures; bench/chunks.ts lists what each chunk holds).
 */

const build = new ClientBuild(path.join(projectRoot, 'dist/client'))
const modulesOf = (keys: Iterable<string>) => build.modulesOf(keys, projectRoot)
const joinScreen = build.joinScreen()
const listView = build.listView()

/** Modules only the facilitator, another view, the beamer or the start page need. */
const NOT_IN_LIST_VIEW: [string, RegExp][] = [
  ['the facilitator panels (client/board/panels/)', /^client\/board\/panels\//],
  [
    'the invitation sheet and its QR codes',
    /^client\/(board\/panels\/InvitationSheet|QrCode)\.tsx$|^node_modules\/uqr\//,
  ],
  // (client/start/myBoards.ts is the list's storage: opening a facilitator link adds the board to it.)
  [
    'save as template, Mijn borden',
    /^client\/board\/panels\/SaveAsTemplate\.tsx$|^client\/start\/(?!myBoards\.ts$)/,
  ],
  ['the views Uitslag, Matrix, Planning', /^client\/(views|results)\//],
  ['the chart (d3) and the views’ SVG', /^node_modules\/d3-|^model\/views\/(?!title\.ts$)/],
  ['the presentation', /^client\/present\/Presentation\.tsx$/],
  ['the canvas (tldraw)', /^client\/canvas\/|^node_modules\/(@?tldraw)/],
  ['the start page', /^client\/StartPage\.tsx$/],
]

describe('what a participant’s phone loads (the build’s chunks)', () => {
  it('[SZ1] the join screen’s entry holds the join screen only: no React, no Yjs, no board code', () => {
    const modules = modulesOf(joinScreen)
    expect(modules).toContain('client/main.ts')
    expect(modules).toContain('client/board/join/joinScreen.ts')
    expect(modules.filter((m) => /^node_modules\//.test(m))).toEqual([])
    expect(modules.filter((m) => /^client\/(list|card|views|canvas|present)\/|\.tsx$/.test(m))).toEqual([])
    expect(modules).not.toContain('client/board/session/session.ts')
    // Of the texts, only the join screen's (texts.ts holds every text, in both languages).
    expect(modules).toContain('client/joinTexts.ts')
    expect(modules).not.toContain('client/texts.ts')
  })

  it('[SZ2] a participant’s list view loads none of the facilitator’s panels, the other views, the chart, the presentation, the canvas or the start page', () => {
    const modules = modulesOf(listView)
    // It does hold what it shows: React, the list, the card, the sync.
    for (const needed of [
      'client/list/ListView.tsx',
      'client/card/CardFace.tsx',
      'client/card/CardDetail.tsx',
      'client/board/session/session.ts',
    ])
      expect(modules).toContain(needed)
    expect(modules.some((m) => m.startsWith('node_modules/react-dom/'))).toBe(true)
    expect(modules.some((m) => m.startsWith('node_modules/yjs/'))).toBe(true)
    const found = NOT_IN_LIST_VIEW.flatMap(([what, pattern]) =>
      modules.filter((m) => pattern.test(m)).map((m) => `${what}: ${m}`),
    )
    expect(found).toEqual([])
  })

  it('[SZ3] what the list view leaves out is still built, each in a chunk loaded on demand', () => {
    // The patterns above match real modules: were a module renamed, [SZ2] would pass for nothing.
    const all = modulesOf(Object.keys(build.chunks))
    for (const [what, pattern] of NOT_IN_LIST_VIEW)
      expect(
        all.some((m) => pattern.test(m)),
        what,
      ).toBe(true)
  })
})
