/**
 * The cost of the rules check and of the server's attribution per update, on a 1,000-card board
 * (printed; run with `npx tsx bench/rules-check.ts`). For comparison: what a scratch copy of the board
 * per update would cost (the design not taken: server/rules/update-scope.ts predicts instead).
 */
import path from 'node:path'
import * as Y from 'yjs'
import { initBoard } from '../model/board.js'
import { createCard, createCards, moveCard, setText } from '../model/cards.js'
import { listCards } from '../model/read.js'
import { projectRoot } from '../server/paths.js'
import { attribution, observeCards } from '../server/realtime/attribution.js'
import { scopeOf } from '../server/rules/update-scope.js'
import { loadTemplates } from '../server/templates/templates.js'
import { benchText } from './lib/text.js'

const CARDS = Number(process.env.CARDS ?? 1000)
const template = loadTemplates(path.join(projectRoot, 'templates')).get('pact-westfriesland-7.1')
if (!template) throw new Error('template missing')
const { cards: _start, ...bare } = template

const server = new Y.Doc()
initBoard(server, bare, { id: 'bench', title: 'Bench' })
createCards(
  server,
  Array.from({ length: CARDS }, (_, i) => ({
    fields: { actie: benchText(12, i, 7), doel: benchText(20, i + 1, 7) },
  })),
)
const ids = listCards(server).map((card) => card.id)

/** Updates a participant's replica sends, made one after another on the replica. */
function updates(n: number, change: (doc: Y.Doc, i: number) => void): Uint8Array[] {
  const replica = new Y.Doc()
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(server))
  const out: Uint8Array[] = []
  replica.on('update', (u: Uint8Array) => out.push(u))
  for (let i = 0; i < n; i++) change(replica, i)
  return out
}

function perOp(name: string, n: number, fn: (i: number) => void, warm = true): void {
  if (warm) for (let i = 0; i < Math.min(n, 50); i++) fn(i)
  // CPU time of this process, not wall time: the figure does not depend on what else the machine runs.
  const start = process.cpuUsage()
  for (let i = 0; i < n; i++) fn(i)
  const used = process.cpuUsage(start)
  const us = (used.user + used.system) / n
  console.log(`${name.padEnd(58)} ${us.toFixed(1).padStart(9)} µs CPU`)
}

const N = Number(process.env.N ?? 300)
const edits = updates(N, (doc, i) => setText(doc, ids[i % CARDS] as string, 'doel', `tekst ${i}`))
const creations = updates(N, (doc, i) => createCard(doc, { fields: { actie: `nieuw ${i}` } }))
const moves = updates(N, (doc, i) =>
  moveCard(doc, ids[i % CARDS] as string, i % 2 ? 'longlist' : 'shortlist'),
)
const decoded = (list: Uint8Array[]) => list.map((u) => Y.decodeUpdate(u))
const [editsD, creationsD, movesD] = [decoded(edits), decoded(creations), decoded(moves)]
const pending = editsD.slice(0, 5).map((d) => d.structs)

console.log(`board: ${CARDS} cards, ${Y.encodeStateAsUpdate(server).length} bytes`)
perOp('rules check (scopeOf), a text edit', N, (i) => scopeOf(server, editsD[i] as never))
perOp('rules check (scopeOf), a new card', N, (i) => scopeOf(server, creationsD[i] as never))
perOp('rules check (scopeOf), a new card, 5 updates being stored', N, (i) =>
  scopeOf(server, creationsD[i] as never, pending),
)
perOp('rules check (scopeOf), a move', N, (i) => scopeOf(server, movesD[i] as never))

// Attribution at apply: what the transaction changed, and the server's writes for it.
const writer = { client: 4242, clock: 0 }
const pendingWrites = { items: new Map(), numbers: new Map() }
const applyOn = () => {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(server))
  return doc
}
for (const [name, list] of [
  ['apply + attribution, a text edit (nothing to write)', edits],
  ['apply + attribution, a new card (numbers checked)', creations],
  ['apply + attribution, a move (movedAt, movedBy written)', moves],
] as const) {
  const doc = applyOn()
  const plain = applyOn()
  const n = N
  let i = 0
  const only = `  ${name.replace('apply + attribution', 'apply only')}`
  perOp(only, n, () => Y.applyUpdate(plain, list[i++] as Uint8Array), false)
  i = 0
  perOp(
    name,
    n,
    () => {
      const changed = observeCards(doc, () => Y.applyUpdate(doc, list[i++] as Uint8Array))
      attribution(doc, changed, 'Bart', Date.now(), writer, pendingWrites)
      pendingWrites.items.clear()
      pendingWrites.numbers.clear()
    },
    false,
  )
}
perOp('not taken: a scratch copy of the board (encode + apply)', 20, () => {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(server))
  copy.destroy()
})
