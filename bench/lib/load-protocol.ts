/** Messages between a benchmark (parent) and its load processes (`bench/load-client.ts`). */

/** Times are `process.hrtime.bigint()` values as decimal strings: CLOCK_MONOTONIC, shared on Linux. */
export type Ns = string

export interface ConnectCommand {
  type: 'connect'
  wsUrl: string
  /** Room and token of each client (same length as `clients`). */
  rooms: string[]
  tokens: (string | null)[]
  /** A document state each client starts with (base64), e.g. to bring a board to the reference server. */
  seed: string | null
  /** Global client numbers this process runs; client i is created at rampStart + i / total × rampMs. */
  clients: number[]
  total: number
  rampStart: Ns
  rampMs: number
  /** Card ids each client must have received before it counts as ready. */
  waitCards: string[]
  /** Set a presence like the web client does ({ user: { name, color } }). */
  presence: boolean
}

export interface WriterPlan {
  /** Global client number of the writer. */
  client: number
  writer: number
  cardId: string
  /** Updates per second, and how many. */
  rate: number
  count: number
  /** First update at start + phaseMs. */
  start: Ns
  phaseMs: number
}

export interface RunCommand {
  type: 'run'
  writers: WriterPlan[]
}

export type Command = ConnectCommand | RunCommand | { type: 'collect' } | { type: 'close' } | { type: 'exit' }

export type Reply =
  | { type: 'ready'; connectMs: number[] }
  | { type: 'error'; message: string }
  | {
      type: 'samples'
      /** Writer's update → this client observed it, in ms, for every (update, other client). */
      latencies: number[]
      /** Per update: its send time and the longest any client of this process took to observe it. */
      perUpdate: { sentNs: Ns; maxMs: number }[]
      /** How late each write was against its schedule (ms): the load process's own lag. */
      writerLagMs: number[]
      written: number
      /** Clients that were disconnected at some point during the run. */
      disconnects: number
    }
  | { type: 'closed' }
