import fs from 'node:fs'
import path from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

/** Files worth compressing: text. Fonts (woff2), images and the like are compressed already. */
const COMPRESSIBLE = /\.(?:html|js|mjs|css|json|svg|txt|webmanifest)$/
/** Below this, the headers outweigh the saving. */
const MIN_BYTES = 1024

export interface Precompressed {
  file: string
  raw: number
  br: number
  gzip: number
}

/**
 * Writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip, level 9) beside every compressible
 * file under `dir` (not source maps: only developer tools fetch them), so that the server sends them
 * by `Accept-Encoding` without compressing per request. A variant that would not be smaller than the file is not written.
 */
export function precompressDir(dir: string): Precompressed[] {
  const done: Precompressed[] = []
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !COMPRESSIBLE.test(entry.name)) continue
    const file = path.join(entry.parentPath, entry.name)
    const raw = fs.readFileSync(file)
    if (raw.length < MIN_BYTES) continue
    const br = brotliCompressSync(raw, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      },
    })
    const gzip = gzipSync(raw, { level: 9 })
    if (br.length < raw.length) fs.writeFileSync(`${file}.br`, br)
    if (gzip.length < raw.length) fs.writeFileSync(`${file}.gz`, gzip)
    done.push({ file: path.relative(dir, file), raw: raw.length, br: br.length, gzip: gzip.length })
  }
  return done
}

/** A Vite plugin: precompress the build output once it is written. */
export function precompress() {
  let outDir = ''
  return {
    name: 'werkbord-precompress',
    apply: 'build' as const,
    configResolved(config: { root: string; build: { outDir: string } }) {
      outDir = path.resolve(config.root, config.build.outDir)
    },
    closeBundle() {
      const files = precompressDir(outDir)
      const sum = (key: 'raw' | 'br' | 'gzip') => files.reduce((n, f) => n + f[key], 0)
      console.log(
        `precompressed ${files.length} files: ${kib(sum('raw'))} → ${kib(sum('br'))} brotli, ${kib(sum('gzip'))} gzip`,
      )
    },
  }
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`
