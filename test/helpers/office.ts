import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { ARTIFACTS } from './browser.js'

const run = promisify(execFile)

/**
 * Office files as a person sees them: converted by LibreOffice (Debian's `libreoffice-writer-nogui` and
 * `libreoffice-calc-nogui`, installed by scripts/test-setup.sh) to PDF, and the PDF by poppler
 * (`pdftoppm`, `pdftotext`) to pictures and text. Each conversion runs with its own LibreOffice user
 * profile, so parallel test files do not collide over one.
 */
export async function officeToPdf(file: string): Promise<string> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'werkbord-office-'))
  const out = path.join(work, 'out')
  try {
    await run(
      'soffice',
      [
        `-env:UserInstallation=file://${path.join(work, 'profile')}`,
        '--headless',
        '--norestore',
        '--convert-to',
        'pdf',
        '--outdir',
        out,
        file,
      ],
      { timeout: 240_000 },
    )
    const pdf = path.join(out, `${path.parse(file).name}.pdf`)
    if (!fs.existsSync(pdf)) throw new Error(`LibreOffice made no PDF of ${file}`)
    const kept = path.join(path.dirname(file), `${path.parse(file).name}.pdf`)
    fs.copyFileSync(pdf, kept)
    return kept
  } finally {
    fs.rmSync(work, { recursive: true, force: true })
  }
}

/** The PDF's pages as PNG pictures (60 dpi) under test-results/: `<name>-1.png`, `<name>-2.png`, … */
export async function pdfToPngs(pdf: string, name: string): Promise<string[]> {
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  for (const old of fs.readdirSync(ARTIFACTS)) {
    if (new RegExp(`^${name}-\\d+\\.png$`).test(old)) fs.rmSync(path.join(ARTIFACTS, old))
  }
  await run('pdftoppm', ['-png', '-r', '60', pdf, path.join(ARTIFACTS, name)])
  return fs
    .readdirSync(ARTIFACTS)
    .filter((file) => new RegExp(`^${name}-\\d+\\.png$`).test(file))
    .sort((a, b) => pageOf(a) - pageOf(b))
    .map((file) => path.join(ARTIFACTS, file))
}

function pageOf(file: string): number {
  return Number(/-(\d+)\.png$/.exec(file)?.[1])
}

/** The text of each page of a PDF, in reading order (`pdftotext -layout` would keep columns apart). */
export async function pdfPages(pdf: string): Promise<string[]> {
  const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { maxBuffer: 64 * 1024 * 1024 })
  const pages = stdout.split('\f')
  if (pages.at(-1)?.trim() === '') pages.pop()
  return pages
}

/** Page sizes of a PDF in points, from `pdfinfo -f 1 -l N`. */
export async function pdfPageSizes(pdf: string): Promise<{ width: number; height: number }[]> {
  const { stdout } = await run('pdfinfo', ['-f', '1', '-l', '9999', pdf])
  return [...stdout.matchAll(/Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/g)].map((match) => ({
    width: Number(match[1]),
    height: Number(match[2]),
  }))
}

/** Writes bytes into a fresh temporary folder under a name, for LibreOffice to open. */
export function tempFile(name: string, body: Uint8Array): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'werkbord-file-'))
  const file = path.join(dir, name)
  fs.writeFileSync(file, body)
  return file
}

/** Keeps a file as a test artefact under test-results/. */
export function keepArtifact(file: string, name: string): string {
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  const kept = path.join(ARTIFACTS, name)
  fs.copyFileSync(file, kept)
  return kept
}
