import { expect } from 'vitest'
import * as Y from 'yjs'
import { createCard, fieldText } from '../../model/cards.js'
import { listCards } from '../../model/read.js'
import { connectClient, type TestClient } from '../helpers/clients.js'
import type { Random } from '../helpers/random-ops.js'
import { once, untilDoc } from '../helpers/wait.js'

export { random } from '../helpers/random-ops.js'

/**
 * Stock clients that edit a board without pause, each in a way that can be checked afterwards: client
 * `i` creates cards titled `kaart i.n` and appends tokens ` i.n` to the `doel` of its own journal card
 * (titled `journaal i`). Both are append-only and unique, so what a client has received from the server
 * — everything in its document that another client wrote — can be listed and looked for elsewhere.
 */
export class Fleet {
  readonly clients: TestClient[] = []
  private readonly journals: string[] = []
  private readonly counters: number[] = []
  private timer: NodeJS.Timeout | null = null
  /** Every card title and journal token any client has written. */
  readonly written = { cards: new Set<string>(), tokens: new Set<string>() }

  constructor(
    url: string,
    boardId: string,
    token: string,
    size: number,
    private readonly rnd: Random,
  ) {
    for (let i = 0; i < size; i++) {
      const client = connectClient(url, boardId, token)
      this.clients.push(client)
      this.journals.push(createCard(client.doc, { fields: { actie: `journaal ${i}`, doel: '' } }))
      this.counters.push(0)
    }
  }

  /** Starts editing: every `everyMs`, one client (seeded choice) makes one change, online or not. */
  start(everyMs: number): void {
    this.timer = setInterval(() => this.step(), everyMs)
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  step(): void {
    const i = this.rnd.int(this.clients.length)
    const client = this.clients[i] as TestClient
    const n = ++(this.counters[i] as number)
    if (this.rnd.next() < 0.4) {
      const title = `kaart ${i}.${n}`
      createCard(client.doc, { fields: { actie: title } })
      this.written.cards.add(title)
    } else {
      const text = fieldText(client.doc, this.journals[i] as string, 'doel')
      text.insert(text.length, ` ${i}.${n}`)
      this.written.tokens.add(`${i}.${n}`)
    }
  }

  /** Resolves once every client is connected and synced with the server. */
  async synced(): Promise<void> {
    await Promise.all(
      this.clients.map((c) =>
        c.provider.synced ? undefined : once(c.provider as never, 'sync', (state: boolean) => state, 20_000),
      ),
    )
  }

  /** Resolves once no client has an open connection any more. */
  async disconnected(): Promise<void> {
    await Promise.all(
      this.clients.map((c) =>
        c.provider.wsconnected
          ? once(c.provider as never, 'status', (e: { status: string }) => e.status === 'disconnected')
          : undefined,
      ),
    )
  }

  /** Everything any client holds that another client wrote: what it can only have from the server. */
  received(): { cards: Set<string>; tokens: Set<string> } {
    const cards = new Set<string>()
    const tokens = new Set<string>()
    this.clients.forEach((client, i) => {
      const { cards: titles, journals } = contents(client.doc)
      for (const title of titles) if (authorOf(title) !== i) cards.add(title)
      for (const [author, list] of journals) if (author !== i) for (const token of list) tokens.add(token)
    })
    return { cards, tokens }
  }

  destroy(): void {
    this.stop()
    for (const client of this.clients) client.destroy()
  }
}

/**
 * Card titles and, per author, the tokens of its journal, as a document holds them (read straight from
 * the card maps: this runs on 50 documents after every kill, so it must be cheap).
 */
export function contents(doc: Y.Doc): { cards: string[]; journals: Map<number, string[]> } {
  const cards: string[] = []
  const journals = new Map<number, string[]>()
  doc.getMap<Y.Map<unknown>>('cards').forEach((card) => {
    const title = String(card.get('actie') ?? '')
    const journal = /^journaal (\d+)$/.exec(title)
    if (journal)
      journals.set(
        Number(journal[1]),
        String(card.get('doel') ?? '')
          .split(' ')
          .filter(Boolean),
      )
    else cards.push(title)
  })
  return { cards, journals }
}

const authorOf = (titleOrToken: string) => Number(/(\d+)\.\d+$/.exec(titleOrToken)?.[1])

/** What `doc` lacks of `wanted` (card titles and journal tokens). */
export function missingFrom(doc: Y.Doc, wanted: { cards: Set<string>; tokens: Set<string> }): string[] {
  const { cards, journals } = contents(doc)
  const have = new Set([...cards, ...[...journals.values()].flat()])
  return [...wanted.cards, ...wanted.tokens].filter((item) => !have.has(item))
}

/** Card titles or journal tokens that occur more than once in `doc`. */
export function duplicatesIn(doc: Y.Doc): string[] {
  const { cards, journals } = contents(doc)
  const seen = new Set<string>()
  const doubled: string[] = []
  for (const item of [...cards, ...[...journals.values()].flat()]) {
    if (seen.has(item)) doubled.push(item)
    seen.add(item)
  }
  return doubled
}

/** The state vector every document reaches once it has everything any of `docs` holds. */
export function unionStateVector(docs: readonly Y.Doc[]): Map<number, number> {
  const union = new Map<number, number>()
  for (const doc of docs) {
    for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) {
      union.set(client, Math.max(clock, union.get(client) ?? 0))
    }
  }
  return union
}

/**
 * Resolves once every document holds the same updates (equal state vectors), re-checked after any
 * update of any of them; rejects after `ms`. Reaching a union taken earlier is not enough: the server
 * writes attribution (a card's number, its creation time) after it stores a change, so a card resent
 * on reconnect can reach everyone a moment before its stamp does.
 */
export function untilAgreed(docs: readonly Y.Doc[], ms: number, what = 'agreement'): Promise<void> {
  const same = () => {
    const first = Y.encodeStateVector(docs[0] as Y.Doc)
    return docs.every((doc) => equalBytes(Y.encodeStateVector(doc), first))
  }
  return new Promise((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer)
      for (const doc of docs) doc.off('update', check)
    }
    const check = () => {
      if (!same()) return
      stop()
      resolve()
    }
    const timer = setTimeout(() => {
      stop()
      reject(new Error(`Timed out after ${ms} ms waiting for ${what}`))
    }, ms)
    for (const doc of docs) doc.on('update', check)
    check()
  })
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i])
}

export function reaches(doc: Y.Doc, target: Map<number, number>): boolean {
  for (const [client, clock] of target) if (Y.getState(doc.store, client) < clock) return false
  return true
}

/**
 * Stops editing, lets everyone reconnect, and checks that every document holds everything anyone wrote,
 * nothing twice, and the same cards as every other (waiting up to `ms` for each step).
 */
export async function assertConverges(fleet: Fleet, ms: number): Promise<void> {
  fleet.stop()
  for (const c of fleet.clients) c.provider.connect()
  await fleet.synced()
  const docs = fleet.clients.map((c) => c.doc)
  const target = unionStateVector(docs)
  await Promise.all(docs.map((doc) => untilDoc(doc, () => reaches(doc, target), ms, 'convergence')))
  await untilAgreed(docs, ms, 'the server’s attribution on every document')
  const first = docs[0] as Y.Doc
  expect(duplicatesIn(first)).toEqual([])
  for (const doc of docs) expect(missingFrom(doc, fleet.written)).toEqual([])
  const reference = listCards(first, { includeDeleted: true })
  for (const doc of docs) expect(listCards(doc, { includeDeleted: true })).toEqual(reference)
}
