/** Starts the load processes (`bench/load-client.ts`) and talks to them over IPC. */
import { type ChildProcess, fork } from 'node:child_process'
import path from 'node:path'
import { projectRoot } from '../../server/paths.js'
import type { Command, ConnectCommand, Reply, WriterPlan } from './load-protocol.js'

type Samples = Extract<Reply, { type: 'samples' }>

export class LoadPool {
  private constructor(private readonly children: ChildProcess[]) {}

  static async start(count: number): Promise<LoadPool> {
    const children = Array.from({ length: count }, () =>
      fork(path.join(projectRoot, 'bench/load-client.ts'), [], {
        cwd: projectRoot,
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    )
    await Promise.all(
      children.map((child) => new Promise<void>((resolve) => child.once('spawn', () => resolve()))),
    )
    return new LoadPool(children)
  }

  get pids(): number[] {
    return this.children.map((child) => child.pid as number)
  }

  get size(): number {
    return this.children.length
  }

  private request<T extends Reply['type']>(
    child: ChildProcess,
    command: Command,
    expect: T,
    ms: number,
  ): Promise<Extract<Reply, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.off('message', onMessage)
        reject(new Error(`load process ${child.pid}: no "${expect}" within ${ms} ms`))
      }, ms)
      const onMessage = (message: Reply) => {
        if (message.type !== expect && message.type !== 'error') return
        clearTimeout(timer)
        child.off('message', onMessage)
        if (message.type === 'error') reject(new Error(`load process ${child.pid}: ${message.message}`))
        else resolve(message as Extract<Reply, { type: T }>)
      }
      child.on('message', onMessage)
      child.send(command)
    })
  }

  /**
   * Opens `total` clients, client i in process i mod size, created at evenly spaced moments over
   * `rampMs` from `rampStart`; resolves with every client's time to sync (ms) once all are ready.
   */
  async connect(
    options: Omit<ConnectCommand, 'type' | 'clients' | 'rooms' | 'tokens' | 'total' | 'seed'> & {
      total: number
      room: (client: number) => string
      token: (client: number) => string | null
      seed?: Uint8Array | null
    },
  ): Promise<number[]> {
    const { room, token, seed, ...rest } = options
    const seedText = seed ? Buffer.from(seed).toString('base64') : null
    const replies = await Promise.all(
      this.children.map((child, p) => {
        const clients = Array.from({ length: options.total }, (_, i) => i).filter(
          (i) => i % this.children.length === p,
        )
        return this.request(
          child,
          {
            type: 'connect',
            ...rest,
            clients,
            rooms: clients.map(room),
            tokens: clients.map(token),
            seed: seedText,
          },
          'ready',
          options.rampMs + 180_000,
        )
      }),
    )
    return replies.flatMap((r) => r.connectMs)
  }

  /** Starts the writers (each in the process that runs its client). */
  run(writers: WriterPlan[]): void {
    for (const child of this.children) child.send({ type: 'run', writers } satisfies Command)
  }

  async collect(): Promise<Omit<Samples, 'type'>> {
    const all = await Promise.all(
      this.children.map((child) => this.request(child, { type: 'collect' }, 'samples', 60_000)),
    )
    return {
      latencies: all.flatMap((s) => s.latencies),
      perUpdate: mergePerUpdate(all.map((s) => s.perUpdate)),
      writerLagMs: all.flatMap((s) => s.writerLagMs),
      written: all.reduce((sum, s) => sum + s.written, 0),
      disconnects: all.reduce((sum, s) => sum + s.disconnects, 0),
    }
  }

  /** Closes every client (bounded); the processes stay for the next round. */
  async close(): Promise<void> {
    await Promise.all(this.children.map((child) => this.request(child, { type: 'close' }, 'closed', 30_000)))
  }

  async exit(): Promise<void> {
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve()
            const kill = setTimeout(() => child.kill('SIGKILL'), 5000)
            child.once('exit', () => {
              clearTimeout(kill)
              resolve()
            })
            child.send({ type: 'exit' } satisfies Command)
          }),
      ),
    )
  }
}

/** The per-update figures of several load processes: the longest time to observe each update over all. */
function mergePerUpdate(lists: Samples['perUpdate'][]): Samples['perUpdate'] {
  const bySent = new Map<string, number>()
  for (const list of lists) {
    for (const { sentNs, maxMs } of list) bySent.set(sentNs, Math.max(bySent.get(sentNs) ?? 0, maxMs))
  }
  return [...bySent].map(([sentNs, maxMs]) => ({ sentNs, maxMs }))
}
