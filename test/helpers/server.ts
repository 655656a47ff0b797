import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type App, type AppHooks, startApp } from '../../server/app.js'
import { type Config, loadConfig } from '../../server/config.js'
import { createLogger } from '../../server/log.js'
import { projectRoot } from '../../server/paths.js'
import type { BoardStore } from '../../server/storage/store.js'

export function tempDir(prefix = 'werkbord-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}

/** Starts the real server in this process, on a free port, with its own data folder. */
export async function startServer(
  overrides: Partial<Config> = {},
  store?: BoardStore,
  hooks: AppHooks = {},
): Promise<App & { dataDir: string }> {
  const dataDir = overrides.dataDir ?? tempDir()
  const config = {
    ...loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    dataDir,
    ...overrides,
  }
  const app = await startApp(config, createLogger(config.logLevel), store, hooks)
  return Object.assign(app, { dataDir })
}

export interface BoardInfo {
  id: string
  tokens: { facilitator: string; participant: string; observer: string }
  links: Record<string, string>
}

export async function createBoard(
  baseUrl: string,
  template = 'blank',
  title = 'Testbord',
  headers: Record<string, string> = {},
): Promise<BoardInfo> {
  const res = await fetch(`${baseUrl}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ template, title }),
  })
  if (res.status !== 201) throw new Error(`createBoard: ${res.status} ${await res.text()}`)
  return (await res.json()) as BoardInfo
}

export interface ChildServer {
  url: string
  process: ChildProcess
  /** Resolves with the exit code and signal once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  output: () => string
}

/** Starts the server as a separate process (so it can be killed), from source via tsx. */
export async function startChildServer(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'server/main.ts')], {
    cwd: projectRoot,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /Werkbord listening on (http:\/\/\S+?)"/.exec(output)
      if (match) resolve(match[1] as string)
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    exited.then(({ code, signal }) =>
      reject(new Error(`server exited (${code ?? signal}) before listening:\n${output}`)),
    )
  })
  return { url, process: child, exited, output: () => output }
}
