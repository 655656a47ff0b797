/**
 * Summarises V8 CPU profiles (`.cpuprofile`, e.g. from BENCH_PROBE_PROFILE or BENCH_PROFILE_DIR): CPU
 * time by package or source folder and the functions with the most self time, optionally per unit of
 * work (`--per <count>`, e.g. the updates of the window, to compare versions in µs per update).
 *
 *   npx tsx bench/profile-top.ts [--per 200] [--top 25] a.cpuprofile [b.cpuprofile …]
 */
import fs from 'node:fs'
import path from 'node:path'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

const args = process.argv.slice(2)
let per = 1
let top = 25
const files: string[] = []
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--per') per = Number(args[++i])
  else if (args[i] === '--top') top = Number(args[++i])
  else files.push(args[i] as string)
}

/** Where a function lives: a package, a folder of this project, node's own code, or V8's bookkeeping. */
function placeOf(url: string, name: string): string {
  if (url === '') return name.startsWith('(') ? name : '(native)'
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (pkg) return pkg[1] as string
  if (url.startsWith('node:')) return 'node'
  const own = /\/(server|model|bench)\/(?:([^/]+)\/)?/.exec(url)
  if (own) return own[2] && !own[2].includes('.') ? `${own[1]}/${own[2]}` : (own[1] as string)
  return url
}

for (const file of files) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const self = new Map<number, number>()
  for (const [i, id] of profile.samples.entries())
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
  const places = new Map<string, number>()
  const functions = new Map<string, number>()
  let busy = 0
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = (byId.get(id) as ProfileNode).callFrame
    const name = functionName || '(anonymous)'
    if (name === '(idle)' || name === '(program)') continue
    busy += us
    const place = placeOf(url, name)
    places.set(place, (places.get(place) ?? 0) + us)
    const key = `${name} ${url ? `${path.basename(url)}:${lineNumber + 1}` : ''} [${place}]`
    functions.set(key, (functions.get(key) ?? 0) + us)
  }
  const unit = per === 1 ? 'ms' : 'µs per unit'
  const show = (us: number) => (per === 1 ? (us / 1000).toFixed(1) : (us / per).toFixed(1))
  console.log(
    `${path.basename(file)}: ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s profiled, busy ${show(busy)} ${unit}`,
  )
  console.log('  by place:')
  for (const [place, us] of [...places].sort((a, b) => b[1] - a[1]).slice(0, 15))
    console.log(`    ${show(us).padStart(8)}  ${place}`)
  console.log('  functions by self time:')
  for (const [key, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`    ${show(us).padStart(8)}  ${key}`)
}
