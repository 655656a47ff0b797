import { useMemo } from 'react'
import { renderSVG } from 'uqr'

/** A link as a QR code (SVG made here, in the browser: nothing from another origin). */
export function QrImage({ text, alt, size = 220 }: { text: string; alt: string; size?: number }) {
  const src = useMemo(
    () => `data:image/svg+xml;utf8,${encodeURIComponent(renderSVG(text, { border: 2 }))}`,
    [text],
  )
  return <img className="qr-image" src={src} alt={alt} width={size} height={size} />
}
