import { useId, useState, useSyncExternalStore } from 'react'
import { Box, type Editor, type TLShapeId } from 'tldraw'
import type * as Y from 'yjs'
import { HEADER_HEIGHT, header, xmlText } from '../../model/views/svg.js'
import { useMeta } from '../board/hooks.js'
import type { CardBinding } from '../canvas/cardBinding.js'
import { useI18n } from '../i18n.js'
import { dateLabel, fileName, saveBlob, svgBlob, svgToPng } from './download.js'
import './views.css'
import { BUTTON, SELECT } from '../controls.js'

const PAD = 32

/**
 * Downloads of the canvas, or of one lane, as SVG or PNG: tldraw's own export (`getSvgString`) of the
 * shapes there — the cards draw themselves as plain SVG (ActionCardShape.toSvg), tldraw embeds the
 * fonts of drawings from this origin's assets — framed with the board's title and the date.
 */
export function CanvasDownloads({
  editor,
  binding,
  doc,
}: {
  editor: Editor
  binding: CardBinding
  doc: Y.Doc
}) {
  const { t, language } = useI18n()
  const meta = useMeta(doc)
  const lanes = useSyncExternalStore(binding.subscribeLanes, binding.lanes)
  const [part, setPart] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const selectId = useId()
  const save = async (format: 'svg' | 'png') => {
    setProblem(null)
    const lane = lanes.find((l) => l.id === part)
    const picture = await canvasSvg(editor, lane ?? null, {
      title: meta.title,
      subtitle: t.pictureOf(`${t.views.canvas}${lane ? `: ${lane.label}` : ''}`, dateLabel(language)),
    })
    if (!picture) {
      setProblem(t.canvasNothing)
      return
    }
    const name = fileName(meta.title, `${t.views.canvas}${lane ? ` ${lane.label}` : ''}`)
    try {
      saveBlob(format === 'svg' ? svgBlob(picture) : await svgToPng(picture), `${name}.${format}`)
    } catch {
      setProblem(t.downloadFailed)
    }
  }
  return (
    <details className="canvas-downloads">
      <summary>{t.canvasDownload}</summary>
      <div className="canvas-downloads-body">
        <label htmlFor={selectId}>{t.canvasPart}</label>{' '}
        <select
          className={SELECT}
          id={selectId}
          value={part}
          onChange={(event) => setPart(event.target.value)}
        >
          <option value="">{t.canvasWhole}</option>
          {lanes.map((lane) => (
            <option key={lane.id} value={lane.id}>
              {t.canvasLane(lane.label)}
            </option>
          ))}
        </select>{' '}
        {(['svg', 'png'] as const).map((format) => (
          <button
            className={BUTTON}
            key={format}
            type="button"
            data-download={format}
            aria-label={t.downloadAs(t.views.canvas, format.toUpperCase())}
            onClick={() => void save(format)}
          >
            {format.toUpperCase()}
          </button>
        ))}
        {problem && (
          <p role="alert" className="problem">
            {problem}
          </p>
        )}
      </div>
    </details>
  )
}

/**
 * The shapes of the page (or those within one lane) as SVG via tldraw's export, under a heading with
 * the title and date; null when there is nothing to export.
 */
export async function canvasSvg(
  editor: Editor,
  lane: { x: number; y: number; w: number; h: number } | null,
  frame: { title: string; subtitle: string },
): Promise<string | null> {
  const ids = [...editor.getCurrentPageShapeIds()].filter((id: TLShapeId) => {
    if (!lane) return true
    const bounds = editor.getShapePageBounds(id)
    return (
      !!bounds &&
      bounds.x < lane.x + lane.w &&
      bounds.x + bounds.w > lane.x &&
      bounds.y < lane.y + lane.h &&
      bounds.y + bounds.h > lane.y
    )
  })
  if (ids.length === 0) return null
  const exported = await editor.getSvgString(ids, {
    background: true,
    padding: PAD,
    darkMode: false,
    ...(lane ? { bounds: new Box(lane.x, lane.y, lane.w, lane.h) } : {}),
  })
  if (!exported) return null
  const width = Math.max(480, Math.ceil(exported.width))
  const height = Math.ceil(exported.height) + HEADER_HEIGHT
  const inner = exported.svg
    .replace(/^<\?xml[^>]*>\s*/, '')
    .replace(/^<svg\b/, `<svg x="0" y="${HEADER_HEIGHT}"`)
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<title>${xmlText(`${frame.title} — ${frame.subtitle}`)}</title>` +
    `<rect width="${width}" height="${height}" fill="#ffffff"/>` +
    header(frame, width) +
    inner +
    `</svg>`
  )
}
