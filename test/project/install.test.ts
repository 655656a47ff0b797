import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { projectRoot } from '../../server/paths.js'

/**
 * The project's own set-up: `npm ci` accepts the lockfile on every platform, and `npm test`'s pretest
 * (scripts/test-setup.sh) installs what is missing and nothing when everything is there.
 */

interface LockEntry {
  version?: string
  optional?: boolean
  os?: string[]
}
type Lockfile = { packages: Record<string, LockEntry> } & Record<string, unknown>

const lockfile = (): Lockfile =>
  JSON.parse(fs.readFileSync(path.join(projectRoot, 'package-lock.json'), 'utf8')) as Lockfile

const scratch = () => fs.mkdtempSync(path.join(os.tmpdir(), 'werkbord-install-'))

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8' })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** `npm ci --dry-run` on package.json and the given lockfile, offline, with an empty npm cache. */
function npmCiDryRun(lock: Lockfile) {
  const dir = scratch()
  fs.copyFileSync(path.join(projectRoot, 'package.json'), path.join(dir, 'package.json'))
  fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify(lock, null, 2))
  const flags = ['--dry-run', '--ignore-scripts', '--offline', '--no-audit', '--no-fund']
  const result = run('npm', ['ci', ...flags], dir, {
    ...process.env,
    npm_config_cache: path.join(dir, 'npm-cache'),
  })
  fs.rmSync(dir, { recursive: true, force: true })
  return result
}

/** A folder of stand-ins for `npm` and `apt-get` that only write their arguments to calls.log. */
function standIns(): { bin: string; calls: () => string[] } {
  const bin = scratch()
  const log = path.join(bin, 'calls.log')
  for (const name of ['npm', 'apt-get']) {
    const file = path.join(bin, name)
    fs.writeFileSync(file, `#!/bin/sh\necho "${name} $*" >> '${log}'\n`)
    fs.chmodSync(file, 0o755)
  }
  const calls = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [])
  return { bin, calls }
}

const withPath = (bin: string): NodeJS.ProcessEnv => ({ ...process.env, PATH: `${bin}:${process.env.PATH}` })

describe('installing', () => {
  it('[IN1] npm ci accepts the lockfile: it lists every platform’s optional packages, and one left out is refused', () => {
    const complete = npmCiDryRun(lockfile())
    expect(complete.stderr).not.toMatch(/npm error/)
    expect(complete.status).toBe(0)

    // A lockfile written on one machine that left out another platform's package (as npm 11 once did for
    // @biomejs/cli-darwin-arm64) is refused by `npm ci` on every machine, this one included.
    const lock = lockfile()
    const foreign = Object.entries(lock.packages).find(
      ([, entry]) => entry.optional && entry.os && !entry.os.includes(process.platform),
    )
    if (!foreign) throw new Error('the lockfile has no optional package for another platform')
    const [where] = foreign
    delete lock.packages[where]
    const incomplete = npmCiDryRun(lock)
    expect(incomplete.status).not.toBe(0)
    expect(incomplete.stderr).toContain(`Missing: ${where.replace(/^.*node_modules\//, '')}@`)
  }, 60_000)

  it('[IN2] the test set-up installs nothing and says nothing when everything is there', () => {
    const { bin, calls } = standIns()
    const result = run('bash', ['scripts/test-setup.sh'], projectRoot, withPath(bin))
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(calls()).toEqual([])
  }, 60_000)

  it('[IN3] node_modules counts as installed only when it holds exactly what the lockfile pins', () => {
    const root = scratch()
    const check = () => run('node', [path.join(projectRoot, 'scripts/check-install.mjs'), root], root)
    const sqlite = path.join(projectRoot, 'node_modules/better-sqlite3')
    const sqliteVersion = (
      JSON.parse(fs.readFileSync(path.join(sqlite, 'package.json'), 'utf8')) as LockEntry
    ).version
    const locked: Record<string, LockEntry> = {
      '': {},
      'node_modules/better-sqlite3': { version: sqliteVersion },
      'node_modules/@esbuild/other-platform': { version: '0.28.2', optional: true, os: ['aix'] },
    }
    const write = (file: string, packages: Record<string, LockEntry>) =>
      fs.writeFileSync(path.join(root, file), JSON.stringify({ lockfileVersion: 3, packages }))
    fs.writeFileSync(path.join(root, 'package.json'), '{"name":"probe"}')
    write('package-lock.json', locked)

    expect(check().stderr).toContain('node_modules is missing')

    fs.mkdirSync(path.join(root, 'node_modules'))
    fs.symlinkSync(sqlite, path.join(root, 'node_modules/better-sqlite3'))
    const installed = { 'node_modules/better-sqlite3': { version: sqliteVersion } }
    write('node_modules/.package-lock.json', installed)
    // Another platform's optional package is never installed; that is complete.
    expect(check()).toMatchObject({ status: 0, stderr: '' })

    write('node_modules/.package-lock.json', { ...installed, 'node_modules/left-over': { version: '1.0.0' } })
    expect(check()).toMatchObject({ status: 1 })
    expect(check().stderr).toContain('node_modules/left-over is installed but not in the lockfile')

    write('node_modules/.package-lock.json', { 'node_modules/better-sqlite3': { version: '0.0.1' } })
    expect(check().stderr).toContain(
      `node_modules/better-sqlite3 is 0.0.1, the lockfile pins ${sqliteVersion}`,
    )

    write('package-lock.json', { ...locked, 'node_modules/pg': { version: '8.0.0' } })
    write('node_modules/.package-lock.json', installed)
    expect(check()).toMatchObject({ status: 1 })
    expect(check().stderr).toContain('node_modules/pg is not installed')
    fs.rmSync(root, { recursive: true, force: true })
  }, 60_000)

  it('[IN4] missing Debian packages are installed in one apt-get call, and present ones are left alone', () => {
    const { bin, calls } = standIns()
    const ensure = (...pairs: string[]) =>
      run('bash', ['scripts/ensure-debian.sh', ...pairs], projectRoot, withPath(bin))

    expect(ensure('present=/bin/sh', 'on-path=sh')).toMatchObject({ status: 0, stderr: '' })
    expect(calls()).toEqual([])

    const result = ensure('pkg-a=/nonexistent/werkbord-a', 'present=sh', 'pkg-b=werkbord-no-such-program')
    if (process.getuid?.() === 0) {
      expect(result.status).toBe(0)
      expect(calls()).toEqual([
        'apt-get update -qq',
        'apt-get install -y -qq --no-install-recommends pkg-a pkg-b',
      ])
    } else {
      expect(result.status).toBe(1)
      expect(result.stderr).toContain('sudo apt-get install pkg-a pkg-b')
      expect(calls()).toEqual([])
    }
  }, 60_000)
})
