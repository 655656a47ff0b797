import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { projectRoot } from '../../server/paths.js'

/**
 * What a phone downloads before it can join a board, read from the build (`npm run build`; `npm test`
 * builds first): Vite's manifest says which chunk imports which, each chunk's source map names the
 * modules it holds. Checked by module name, never by size (sizes are bench/list-view.ts's figures).
 */

const client = path.join(projectRoot, 'dist/client')

interface ManifestChunk {
  file: string
  src?: string
  isEntry?: boolean
  imports?: string[]
  dynamicImports?: string[]
}

function manifest(): Record<string, ManifestChunk> {
  const file = path.join(client, '.vite/manifest.json')
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`)
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, ManifestChunk>
}

/** The manifest keys of `start` and every chunk it imports statically (what loading it loads). */
function staticGraph(chunks: Record<string, ManifestChunk>, start: string): Set<string> {
  const seen = new Set<string>()
  const visit = (key: string) => {
    if (seen.has(key)) return
    const chunk = chunks[key]
    if (!chunk) throw new Error(`no chunk ${key} in the manifest`)
    seen.add(key)
    for (const next of chunk.imports ?? []) visit(next)
  }
  visit(start)
  return seen
}

/** The modules the chunks hold, as paths from the project root (node_modules/… for packages). */
function modulesOf(chunks: Record<string, ManifestChunk>, keys: Iterable<string>): string[] {
  const modules = new Set<string>()
  for (const key of keys) {
    const chunk = chunks[key] as ManifestChunk
    if (!chunk.file.endsWith('.js')) continue
    const mapFile = path.join(client, `${chunk.file}.map`)
    // A chunk without code (a re-export) has no source map.
    if (!fs.existsSync(mapFile)) continue
    const map = JSON.parse(fs.readFileSync(mapFile, 'utf8')) as { sources: string[] }
    for (const source of map.sources)
      modules.add(path.relative(projectRoot, path.resolve(path.dirname(mapFile), source)))
  }
  return [...modules].sort()
}

/** The key of the chunk built from `src` (a path under client/), found among `keys` (dynamic imports). */
function dynamicEntry(chunks: Record<string, ManifestChunk>, src: string): string {
  const found = Object.entries(chunks).find(([, chunk]) => chunk.src === src)
  if (!found) throw new Error(`no chunk built from client/${src}`)
  return found[0]
}

const chunks = manifest()
const entryKey = Object.entries(chunks).find(([, chunk]) => chunk.isEntry)?.[0] as string
// The join screen: the page's one script and what it imports statically.
const joinScreen = staticGraph(chunks, entryKey)
// A participant's list view: then the app (React) and the board's code, which the entry and the app
// import dynamically (main.ts, BoardGate.tsx), with what those import statically.
const listView = new Set([
  ...joinScreen,
  ...staticGraph(chunks, dynamicEntry(chunks, 'app.tsx')),
  ...staticGraph(chunks, dynamicEntry(chunks, 'board/BoardApp.tsx')),
])

/** Modules only the facilitator, another view, the beamer or the start page need. */
const NOT_IN_LIST_VIEW: [string, RegExp][] = [
  [
    'the facilitator panels',
    /^client\/board\/(PeoplePanel|InvitationsPanel|ExchangePanel|VotingSettingsPanel)\.tsx$/,
  ],
  [
    'the invitation sheet and its QR codes',
    /^client\/(board\/InvitationSheet|QrCode)\.tsx$|^node_modules\/uqr\//,
  ],
  // (client/start/myBoards.ts is the list's storage: opening a facilitator link adds the board to it.)
  ['save as template, Mijn borden', /^client\/board\/SaveAsTemplate\.tsx$|^client\/start\/(?!myBoards\.ts$)/],
  ['the views Uitslag, Matrix, Planning', /^client\/(views|results)\//],
  ['the chart (d3) and the views’ SVG', /^node_modules\/d3-|^model\/views\/(?!title\.ts$)/],
  ['the presentation', /^client\/present\/Presentation\.tsx$/],
  ['the canvas (tldraw)', /^client\/canvas\/|^node_modules\/(@?tldraw)/],
  ['the start page', /^client\/StartPage\.tsx$/],
]

describe('what a participant’s phone loads (the build’s chunks)', () => {
  it('[SZ1] the join screen’s entry holds the join screen only: no React, no Yjs, no board code', () => {
    const modules = modulesOf(chunks, joinScreen)
    expect(modules).toContain('client/main.ts')
    expect(modules).toContain('client/board/joinScreen.ts')
    expect(modules.filter((m) => /^node_modules\//.test(m))).toEqual([])
    expect(modules.filter((m) => /^client\/(list|card|views|canvas|present)\/|\.tsx$/.test(m))).toEqual([])
    expect(modules).not.toContain('client/board/session.ts')
    // Of the texts, only the join screen's (texts.ts holds every text, in both languages).
    expect(modules).toContain('client/joinTexts.ts')
    expect(modules).not.toContain('client/texts.ts')
  })

  it('[SZ2] a participant’s list view loads none of the facilitator’s panels, the other views, the chart, the presentation, the canvas or the start page', () => {
    const modules = modulesOf(chunks, listView)
    // It does hold what it shows: React, the list, the card, the sync.
    for (const needed of [
      'client/list/ListView.tsx',
      'client/card/CardFace.tsx',
      'client/card/CardDetail.tsx',
      'client/board/session.ts',
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
    const all = modulesOf(chunks, Object.keys(chunks))
    for (const [what, pattern] of NOT_IN_LIST_VIEW)
      expect(
        all.some((m) => pattern.test(m)),
        what,
      ).toBe(true)
  })
})
