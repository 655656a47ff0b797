import { execFile, execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { freePort } from './ports.js'

/** The folder of the newest PostgreSQL server programs (Debian: /usr/lib/postgresql/<version>/bin). */
export function postgresBin(): string | null {
  const root = '/usr/lib/postgresql'
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => fs.existsSync(path.join(root, v, 'bin/initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : []
  if (versions[0]) return path.join(root, versions[0], 'bin')
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim()
  return onPath ? path.dirname(onPath) : null
}

export interface Postgres {
  /** Connection URL of the `postgres` database (for creating others). */
  readonly adminUrl: string
  readonly port: number
  /** Creates an empty database and returns its URL. */
  createDatabase(): Promise<string>
  /** Stops the server (fast shutdown), keeping its data: `start` brings it back on the same port. */
  stop(): Promise<void>
  start(): Promise<void>
  /** Stops the server and removes its folder. */
  destroy(): void
}

/**
 * A throwaway PostgreSQL server: `initdb` in a temporary folder, listening on a free loopback port with
 * its unix socket in that folder, never the machine's own cluster. PostgreSQL refuses to run as root:
 * when the tests run as root, it runs as the `postgres` user (created if missing), owning the folder.
 * fsync is off unless asked for (the benchmark): test data only, and the servers are stopped cleanly.
 */
export async function startPostgres(settings: { fsync?: boolean } = {}): Promise<Postgres> {
  const bin = postgresBin()
  if (!bin) throw new Error('PostgreSQL is not installed (Debian package postgresql)')
  const asRoot = process.getuid?.() === 0
  if (asRoot && spawnSync('id', ['postgres']).status !== 0) {
    execFileSync('useradd', ['--system', '--no-create-home', 'postgres'])
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'werkbord-pg-'))
  if (asRoot) execFileSync('chown', ['postgres:', dir])
  const data = path.join(dir, 'data')
  const command = (program: string, args: string[]): [string, string[]] =>
    asRoot
      ? ['runuser', ['-u', 'postgres', '--', path.join(bin, program), ...args]]
      : [path.join(bin, program), args]
  const run = (program: string, args: string[]) => {
    const result = spawnSync(...command(program, args), { encoding: 'utf8' })
    if (result.status !== 0) {
      throw new Error(`${program} failed (${result.status}): ${result.stderr || result.stdout}`)
    }
  }
  const runAsync = (program: string, args: string[]) =>
    new Promise<void>((resolve, reject) =>
      execFile(...command(program, args), (error, stdout, stderr) =>
        error ? reject(new Error(`${program} failed: ${stderr || stdout}`)) : resolve(),
      ),
    )
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--no-instructions'])
  const port = await freePort()
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    `-c fsync=${settings.fsync ? 'on' : 'off'}`,
    '-c max_connections=200',
    '-c shared_buffers=32MB',
  ].join(' ')
  const startArgs = ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start']
  const stopArgs = ['-D', data, '-m', 'fast', '-w', 'stop']
  run('pg_ctl', startArgs)
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`
  let databases = 0
  let running = true
  return {
    adminUrl,
    port,
    async createDatabase() {
      const name = `werkbord_${process.pid}_${++databases}`
      const client = new pg.Client(adminUrl)
      await client.connect()
      try {
        await client.query(`CREATE DATABASE ${name}`)
      } finally {
        await client.end()
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`
    },
    async stop() {
      await runAsync('pg_ctl', stopArgs)
      running = false
    },
    async start() {
      await runAsync('pg_ctl', startArgs)
      running = true
    },
    destroy() {
      if (running) run('pg_ctl', stopArgs)
      running = false
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}
