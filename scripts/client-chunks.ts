import fs from 'node:fs'
import path from 'node:path'
import { decode } from '@jridgewell/sourcemap-codec'

/**
 * The built client's chunks (`npm run build`): Vite's manifest (dist/client/.vite/manifest.json) says
 * which chunk imports which; each chunk's source map names the modules it holds and which bytes of
 * the chunk came from each. Read by test/project/chunks.test.ts (which modules a participant's phone
 * loads) and by bench/list-view.ts and bench/chunks.ts (how large that is, and what makes it so).
 */

export interface ManifestChunk {
  file: string
  src?: string
  isEntry?: boolean
  isDynamicEntry?: boolean
  imports?: string[]
  dynamicImports?: string[]
}

export class ClientBuild {
  readonly chunks: Record<string, ManifestChunk>

  constructor(readonly dir: string) {
    const file = path.join(dir, '.vite/manifest.json')
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`)
    this.chunks = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, ManifestChunk>
  }

  /** The key of the page's entry chunk (main.ts). */
  get entry(): string {
    const found = Object.entries(this.chunks).find(([, chunk]) => chunk.isEntry)
    if (!found) throw new Error('no entry chunk in the manifest')
    return found[0]
  }

  /** The key of the chunk built from `src` (a path under client/), e.g. a dynamically imported module. */
  chunkOf(src: string): string {
    const found = Object.entries(this.chunks).find(([, chunk]) => chunk.src === src)
    if (!found) throw new Error(`no chunk built from client/${src}`)
    return found[0]
  }

  /** `start` and every chunk it imports statically: what loading it loads. */
  staticGraph(start: string): Set<string> {
    const seen = new Set<string>()
    const visit = (key: string) => {
      if (seen.has(key)) return
      const chunk = this.chunks[key]
      if (!chunk) throw new Error(`no chunk ${key} in the manifest`)
      seen.add(key)
      for (const next of chunk.imports ?? []) visit(next)
    }
    visit(start)
    return seen
  }

  /** What the join screen needs: the page's one script and what it imports statically. */
  joinScreen(): Set<string> {
    return this.staticGraph(this.entry)
  }

  /**
   * What a participant's list view loads: the join screen's, then the app (React) and the board's
   * code, which main.ts and BoardGate.tsx import dynamically, with what those import statically.
   */
  listView(): Set<string> {
    return new Set([
      ...this.joinScreen(),
      ...this.staticGraph(this.chunkOf('app.tsx')),
      ...this.staticGraph(this.chunkOf('board/BoardApp.tsx')),
    ])
  }

  /** The JavaScript files of these chunks, as paths under the client folder. */
  scripts(keys: Iterable<string>): string[] {
    return [...keys].map((key) => this.chunks[key]?.file as string).filter((file) => file.endsWith('.js'))
  }

  /**
   * The modules a script holds (paths from `root`, node_modules/… for packages) and how many bytes of
   * it came from each, by its source map. A script without code (a bare re-export) has no map.
   */
  modules(script: string, root: string): Map<string, number> {
    const mapFile = path.join(this.dir, `${script}.map`)
    const bytes = new Map<string, number>()
    if (!fs.existsSync(mapFile)) return bytes
    const map = JSON.parse(fs.readFileSync(mapFile, 'utf8')) as { sources: string[]; mappings: string }
    const sources = map.sources.map((source) =>
      path.relative(root, path.resolve(path.dirname(mapFile), source)),
    )
    for (const source of sources) bytes.set(source, 0)
    const lines = fs.readFileSync(path.join(this.dir, script), 'utf8').split('\n')
    decode(map.mappings).forEach((segments, line) => {
      const length = lines[line]?.length ?? 0
      segments.forEach((segment, i) => {
        if (segment.length < 2) return
        const end = segments[i + 1]?.[0] ?? length
        const source = sources[segment[1] as number] as string
        bytes.set(source, (bytes.get(source) ?? 0) + end - segment[0])
      })
    })
    return bytes
  }

  /** Every module these chunks hold, sorted (their source maps' sources, without weighing them). */
  modulesOf(keys: Iterable<string>, root: string): string[] {
    const all = new Set<string>()
    for (const script of this.scripts(keys)) {
      const mapFile = path.join(this.dir, `${script}.map`)
      if (!fs.existsSync(mapFile)) continue
      const { sources } = JSON.parse(fs.readFileSync(mapFile, 'utf8')) as { sources: string[] }
      for (const source of sources) all.add(path.relative(root, path.resolve(path.dirname(mapFile), source)))
    }
    return [...all].sort()
  }
}
