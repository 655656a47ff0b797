import { useEffect, useState } from 'react'
import type { ExportDocument } from '../../model/export.js'
import { type UnsavedText, unsavedTexts } from '../../model/rescue.js'
import { BUTTON, TEXTAREA } from '../controls.js'
import { useI18n } from '../i18n.js'
import { type BoardSession, rescueKey } from './session/session.js'

/**
 * After the server refused a change and this browser's copy was thrown away: the texts of that copy
 * the board does not hold, to copy from, until the user closes the panel. Computed once the board has
 * arrived from the server.
 */
export function RescuedTexts({ session }: { session: BoardSession }) {
  const { t } = useI18n()
  const [texts, setTexts] = useState<UnsavedText[]>([])
  useEffect(() => {
    const stored = localStorage.getItem(rescueKey(session.boardId))
    if (!stored) return
    const compare = () => {
      try {
        const found = unsavedTexts(JSON.parse(stored) as ExportDocument, session.doc)
        if (found.length === 0) localStorage.removeItem(rescueKey(session.boardId))
        setTexts(found)
      } catch {
        localStorage.removeItem(rescueKey(session.boardId)) // not an export document: nothing to show
      }
    }
    if (session.provider.synced) compare()
    const onSync = (synced: boolean) => synced && compare()
    session.provider.on('sync', onSync)
    return () => session.provider.off('sync', onSync)
  }, [session])
  if (texts.length === 0) return null
  const close = () => {
    localStorage.removeItem(rescueKey(session.boardId))
    setTexts([])
  }
  return (
    <section className="rescued problem" aria-labelledby="rescued-title">
      <h2 id="rescued-title">{t.rescuedTitle}</h2>
      <p>{t.rescuedHelp}</p>
      {texts.map((entry) => (
        <label key={`${entry.cardId}-${entry.field}`}>
          {t.rescuedItem(entry.number, entry.title, entry.field)}
          <textarea
            className={TEXTAREA}
            readOnly
            value={entry.text}
            rows={Math.min(6, entry.text.split('\n').length + 1)}
          />
        </label>
      ))}
      <button className={BUTTON} type="button" onClick={close}>
        {t.rescuedClose}
      </button>
    </section>
  )
}
