import { useState } from 'react'
import { BUTTON, SELECT } from '../controls.js'
import { useI18n } from '../i18n.js'
import { saveBlob, svgBlob, svgToPng } from './download.js'

/**
 * "SVG" and "PNG" buttons for one picture. `make` builds the SVG when asked (never on every render):
 * the file name comes without extension.
 */
export function Downloads({ what, make }: { what: string; make: () => { svg: string; name: string } }) {
  const { t } = useI18n()
  const [failed, setFailed] = useState(false)
  const save = async (format: 'svg' | 'png') => {
    setFailed(false)
    try {
      const { svg, name } = make()
      saveBlob(format === 'svg' ? svgBlob(svg) : await svgToPng(svg), `${name}.${format}`)
    } catch {
      setFailed(true)
    }
  }
  return (
    <span className="view-downloads">
      <span aria-hidden="true">{t.downloadLabel}</span>
      {(['svg', 'png'] as const).map((format) => (
        <button
          className={BUTTON}
          key={format}
          type="button"
          data-download={format}
          aria-label={t.downloadAs(what, format.toUpperCase())}
          onClick={() => void save(format)}
        >
          {format.toUpperCase()}
        </button>
      ))}
      {failed && (
        <span role="alert" className="problem">
          {t.downloadFailed}
        </span>
      )}
    </span>
  )
}

/** A choice of lane (or all lanes) to filter a view by. */
export function LaneFilter(props: {
  lanes: readonly { id: string; label: string }[]
  value: string
  onChange: (lane: string) => void
}) {
  const { t } = useI18n()
  return (
    <label className="view-filter">
      {t.laneFilter}{' '}
      <select className={SELECT} value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        <option value="">{t.allLanes}</option>
        {props.lanes.map((lane) => (
          <option key={lane.id} value={lane.id}>
            {lane.label}
          </option>
        ))}
      </select>
    </label>
  )
}
