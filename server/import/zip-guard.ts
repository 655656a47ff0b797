import zlib from 'node:zlib'

/** An XLSX (a zip) that unpacks to more than allowed: refused before any parsing (413). */
export class TooLargeWhenUnpacked extends Error {
  readonly status = 413
}

const EOCD = 0x06054b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50
/** More files than an XLSX of one sheet has by far. */
const MAX_ENTRIES = 10_000

/**
 * Checks what a zip unpacks to before a zip library sees it: the sizes its central directory declares
 * add up to at most `limit` bytes, and every entry, inflated here with the declared size as a hard cap,
 * really is no larger (a zip bomb may declare small sizes and inflate to gigabytes). Bytes that are not
 * a zip pass unchanged: the spreadsheet reader reports them as unreadable.
 */
export function checkUnpackedSize(zip: Buffer, limit: number): void {
  const end = findEndOfCentralDirectory(zip)
  if (end < 0) return
  const entries = zip.readUInt16LE(end + 10)
  let offset = zip.readUInt32LE(end + 16)
  if (entries === 0xffff || offset === 0xffffffff) throw tooLarge(limit, 'a ZIP64 archive')
  if (entries > MAX_ENTRIES) throw tooLarge(limit, `${entries} files`)
  let total = 0
  for (let i = 0; i < entries; i++) {
    if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== CENTRAL) return
    const method = zip.readUInt16LE(offset + 10)
    const compressed = zip.readUInt32LE(offset + 20)
    const declared = zip.readUInt32LE(offset + 24)
    const nameLength = zip.readUInt16LE(offset + 28)
    const extraLength = zip.readUInt16LE(offset + 30)
    const commentLength = zip.readUInt16LE(offset + 32)
    const local = zip.readUInt32LE(offset + 42)
    if (declared === 0xffffffff || compressed === 0xffffffff) throw tooLarge(limit, 'a ZIP64 entry')
    total += declared
    if (total > limit) throw tooLarge(limit, `more than ${limit} bytes declared`)
    inflateWithin(zip, local, method, compressed, declared, limit)
    offset += 46 + nameLength + extraLength + commentLength
  }
}

/** Inflates one entry with its declared size as the cap: larger output stops inflating at once. */
function inflateWithin(
  zip: Buffer,
  local: number,
  method: number,
  compressed: number,
  declared: number,
  limit: number,
): void {
  if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL) return
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
  const data = zip.subarray(start, Math.min(zip.length, start + compressed))
  if (method === 0) {
    if (data.length > declared) throw tooLarge(limit, 'an entry larger than it declares')
    return
  }
  if (method !== 8) return // the zip reader refuses methods it does not know
  try {
    zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, declared) })
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      throw tooLarge(limit, 'an entry that inflates beyond its declared size')
    }
    // Corrupt data: left to the reader, which reports the file as unreadable.
  }
}

function findEndOfCentralDirectory(zip: Buffer): number {
  const last = zip.length - 22
  for (let i = last; i >= 0 && i >= last - 0xffff; i--) {
    if (zip.readUInt32LE(i) === EOCD) return i
  }
  return -1
}

function tooLarge(limit: number, what: string): TooLargeWhenUnpacked {
  return new TooLargeWhenUnpacked(`The XLSX file unpacks to more than ${limit} bytes (${what}); refused`)
}
