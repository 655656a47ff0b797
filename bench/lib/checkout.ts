import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

/**
 * The A/B benchmarks run our code from several checkouts side by side (`BENCH_AB_DIRS`): how to name a
 * checkout, load one of its modules, and stand in for a connection in its room.
 */

/** A checkout's short commit, with `+` when `paths` (default: server and model) have changes. */
export function checkoutLabel(dir: string, paths: string[] = ['server', 'model']): string {
  try {
    const git = (args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim()
    const dirty = git(['status', '--porcelain', '--', ...paths]) !== ''
    return `${git(['rev-parse', '--short', 'HEAD'])}${dirty ? '+' : ''}`
  } catch {
    return path.basename(dir)
  }
}

/** Imports the first of `candidates` (paths in the checkout; files moved between versions) that exists. */
export async function loadFromCheckout<T>(dir: string, ...candidates: string[]): Promise<T> {
  const file = candidates.map((c) => path.join(dir, c)).find((f) => fs.existsSync(f))
  if (!file) throw new Error(`none of ${candidates.join(', ')} in ${dir}`)
  return (await import(pathToFileURL(file).href)) as T
}

/** What a room needs of a connection, for benchmarks that drive a room without sockets. */
export interface FakeConnection {
  id: string
  role: 'participant'
  send(message: Uint8Array): void
  close(): void
}
