/**
 * Downloads of the views' pictures: the SVG as it is, or drawn onto a canvas as PNG. Both in the
 * browser only, from this origin: the SVG uses the system's fonts, so nothing is fetched.
 */

/** "Werksessie Pact 7.1" + "matrix" → "werksessie-pact-7-1-matrix-2026-12-06". */
export function fileName(title: string, view: string, date = new Date()): string {
  const slug = `${title} ${view}`
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
  return `${slug || 'werkbord'}-${date.toISOString().slice(0, 10)}`
}

/** The day as people write it, in the interface's language. */
export function dateLabel(language: 'nl' | 'en', date = new Date()): string {
  return new Intl.DateTimeFormat(language === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'long' }).format(date)
}

export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = name
  link.rel = 'noopener'
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

export function svgBlob(svg: string): Blob {
  return new Blob([svg], { type: 'image/svg+xml;charset=utf-8' })
}

/** Largest side of a PNG: browsers refuse canvases much larger than this. */
const MAX_SIDE = 16_000

/** Draws the SVG onto a canvas (twice its size when that fits, for sharp text) and returns a PNG. */
export async function svgToPng(svg: string): Promise<Blob> {
  const url = URL.createObjectURL(svgBlob(svg))
  try {
    const image = new Image()
    image.decoding = 'async'
    image.src = url
    await image.decode()
    const w = image.naturalWidth || 800
    const h = image.naturalHeight || 600
    const scale = Math.max(0.25, Math.min(2, MAX_SIDE / w, MAX_SIDE / h))
    const canvas = document.createElement('canvas')
    canvas.width = Math.round(w * scale)
    canvas.height = Math.round(h * scale)
    const context = canvas.getContext('2d')
    if (!context) throw new Error('No 2D canvas')
    context.fillStyle = '#ffffff'
    context.fillRect(0, 0, canvas.width, canvas.height)
    context.drawImage(image, 0, 0, canvas.width, canvas.height)
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG failed'))), 'image/png'),
    )
  } finally {
    URL.revokeObjectURL(url)
  }
}
