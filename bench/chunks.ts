/**
 * What the built client's chunks hold (printed only): for the join screen's entry and for each chunk
 * a participant's list view loads, its size (raw, gzip) and its largest modules by the bytes they
 * put in it (from the source maps; scripts/client-chunks.ts); then the other chunks, loaded on demand.
 * Needs a build (`npm run build`). Run: `npx tsx bench/chunks.ts` (`CHUNK_MODULES=30` lists more).
 */
import fs from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { ClientBuild } from '../scripts/client-chunks.js'
import { projectRoot } from '../server/paths.js'

const TOP = Number(process.env.CHUNK_MODULES ?? 12)
const build = new ClientBuild(path.join(projectRoot, 'dist/client'))
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`
/** A module's package (node_modules/<name>) or its path in the project. */
const owner = (module: string) => /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(module)?.[0] ?? module

function show(label: string, keys: Iterable<string>): { raw: number; gzip: number } {
  const total = { raw: 0, gzip: 0 }
  console.log(`\n${label}`)
  for (const script of build.scripts(keys)) {
    const bytes = fs.readFileSync(path.join(build.dir, script))
    const gzip = gzipSync(bytes, { level: 9 }).length
    total.raw += bytes.length
    total.gzip += gzip
    const byOwner = new Map<string, number>()
    for (const [module, n] of build.modules(script, projectRoot))
      byOwner.set(owner(module), (byOwner.get(owner(module)) ?? 0) + n)
    const top = [...byOwner].sort((a, b) => b[1] - a[1])
    console.log(`  ${script.padEnd(40)} ${kib(bytes.length).padStart(10)} raw ${kib(gzip).padStart(10)} gzip`)
    for (const [name, n] of top.slice(0, TOP)) console.log(`      ${kib(n).padStart(10)}  ${name}`)
    if (top.length > TOP) console.log(`      (${top.length - TOP} more)`)
  }
  console.log(
    `  ${'together'.padEnd(40)} ${kib(total.raw).padStart(10)} raw ${kib(total.gzip).padStart(10)} gzip`,
  )
  return total
}

const joinScreen = build.joinScreen()
const listView = build.listView()
show('The join screen (the page’s script and its static imports)', joinScreen)
show(
  'Then a participant’s list view (the app and the board’s code)',
  [...listView].filter((key) => !joinScreen.has(key)),
)
const rest = Object.keys(build.chunks).filter((key) => !listView.has(key) && !/^canvas\/Canvas/.test(key))
show('Loaded on demand (the canvas left out: 1.7 MB of tldraw)', rest)
