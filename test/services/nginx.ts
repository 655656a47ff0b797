import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { projectRoot } from '../../server/paths.js'
import { freePort } from './ports.js'

/** The nginx configuration that ships with Werkbord. */
export const SHIPPED_CONFIG = path.join(projectRoot, 'deploy/nginx/werkbord.conf')

export interface Nginx {
  readonly url: string
  destroy(): Promise<void>
}

/**
 * The shipped configuration with test ports put in: the upstream's server lines point at `ports`
 * (keeping their settings) and the server listens on a free loopback port. Throws when the file no
 * longer has the lines this relies on, so the test and the shipped file cannot drift apart.
 */
export function configFor(ports: readonly number[], listen: number): string {
  const shipped = fs.readFileSync(SHIPPED_CONFIG, 'utf8')
  const servers = [...shipped.matchAll(/^ *server 127\.0\.0\.1:\d+( [^;]*)?;$/gm)]
  const first = servers[0]
  const last = servers.at(-1)
  if (!first || !last || first.index === undefined || last.index === undefined) {
    throw new Error('deploy/nginx/werkbord.conf: no upstream server lines')
  }
  const settings = first[1] ?? ''
  const lines = ports.map((port) => `    server 127.0.0.1:${port}${settings};`).join('\n')
  const replaced = shipped.slice(0, first.index) + lines + shipped.slice(last.index + last[0].length)
  if (!/^ *listen 80;$/m.test(replaced)) throw new Error('deploy/nginx/werkbord.conf: no "listen 80;"')
  return replaced.replace(/^( *)listen 80;$/m, `$1listen 127.0.0.1:${listen};`)
}

/** Runs nginx (not as a daemon) in a temporary folder with the shipped configuration. */
export async function startNginx(ports: readonly number[]): Promise<Nginx> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'werkbord-nginx-'))
  const listen = await freePort()
  fs.writeFileSync(path.join(dir, 'werkbord.conf'), configFor(ports, listen))
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  include ${dir}/werkbord.conf;
}
`,
  )
  const nginx = fs.existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx'
  const child: ChildProcess = spawn(nginx, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  // nginx says nothing when it is ready: it is once its port takes connections.
  const failed = exited.then(() => {
    throw new Error(`nginx exited: ${stderr}${fs.readFileSync(path.join(dir, 'error.log'), 'utf8')}`)
  })
  await Promise.race([listening(listen), failed])
  failed.catch(() => {})
  return {
    url: `http://127.0.0.1:${listen}`,
    async destroy() {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

async function listening(port: number): Promise<void> {
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1')
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (ok) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
