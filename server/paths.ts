import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The project's root folder (the one with package.json), whether running from source or from dist/. */
export const projectRoot: string = findRoot(path.dirname(fileURLToPath(import.meta.url)))

function findRoot(from: string): string {
  let dir = from
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir)
    if (parent === dir) throw new Error(`No package.json above ${from}`)
    dir = parent
  }
  return dir
}
