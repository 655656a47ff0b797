import { useEffect, useRef } from 'react'
import { createPortal } from 'react-dom'
import { BUTTON } from '../../controls.js'
import { useI18n } from '../../i18n.js'
import { QrImage } from '../../QrCode.js'

export interface SheetPerson {
  id: string
  name: string
  organisation: string | null
  link: string
}

/**
 * The printable sheet (A4, print CSS in styles.css): per invitee their name and a QR code of their
 * personal link, to cut and hand out in the room. Shown over the board; printing prints only this.
 */
export function InvitationSheet({
  title,
  people,
  onClose,
}: {
  title: string
  people: readonly SheetPerson[]
  onClose: () => void
}) {
  const { t } = useI18n()
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    document.body.classList.add('printing-invitations')
    heading.current?.focus()
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose()
    }
    window.addEventListener('keydown', onKey)
    return () => {
      document.body.classList.remove('printing-invitations')
      window.removeEventListener('keydown', onKey)
    }
  }, [onClose])
  return createPortal(
    <div
      className="invitation-sheet"
      role="dialog"
      aria-modal="true"
      aria-labelledby="invitation-sheet-title"
    >
      <div className="sheet-actions">
        <h2 id="invitation-sheet-title" tabIndex={-1} ref={heading}>
          {t.printTitle(people.length)}
        </h2>
        <button className={BUTTON} type="button" data-action="print" onClick={() => window.print()}>
          {t.print}
        </button>
        <button className={BUTTON} type="button" data-action="close-sheet" onClick={onClose}>
          {t.close}
        </button>
      </div>
      <ul className="sheet-people">
        {people.map((person) => (
          <li key={person.id} className="sheet-person">
            <p className="sheet-board">{title}</p>
            <p className="sheet-name">{person.name}</p>
            {person.organisation && <p className="sheet-organisation">{person.organisation}</p>}
            <QrImage text={person.link} alt={t.qrFor(person.name)} size={170} />
            <p className="sheet-help">{t.sheetHelp}</p>
            <p className="sheet-link">{person.link}</p>
          </li>
        ))}
      </ul>
    </div>,
    document.body,
  )
}
