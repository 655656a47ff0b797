import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { projectRoot } from '../../server/paths.js'
import { postgresBin } from './postgres.js'

/**
 * vitest globalSetup: installs the Debian packages of the servers the cluster tests start (Redis,
 * PostgreSQL, nginx) when they are missing, in one apt-get call, as for Chromium. Costs nothing when
 * they are there.
 */
export default function setup(): void {
  const initdb = postgresBin()
  execFileSync(
    'bash',
    [
      path.join(projectRoot, 'scripts/ensure-debian.sh'),
      'redis-server=redis-server',
      'nginx-light=nginx',
      `postgresql=${initdb ? path.join(initdb, 'initdb') : '/usr/lib/postgresql/initdb'}`,
    ],
    { stdio: 'inherit' },
  )
}
