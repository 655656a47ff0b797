import { useEffect, useRef } from 'react'
import { useI18n } from '../../i18n.js'
import './head.css'
import { BUTTON } from '../../controls.js'

/**
 * The header's menu button on a phone (head.css): with the menu closed, the header keeps one line each
 * for the title, the status and the phase (with the facilitator's next step, timer and reveal); the
 * other tools and panels fold away behind it. On wider screens the button is hidden and all shows.
 */
export function HeadMenuButton({ open, onToggle }: { open: boolean; onToggle: (open: boolean) => void }) {
  const { t } = useI18n()
  const button = useRef<HTMLButtonElement>(null)
  // Escape in the open menu closes it and brings focus back to the button.
  useEffect(() => {
    if (!open) return
    const onKey = (event: KeyboardEvent) => {
      const header = button.current?.closest('header')
      if (event.key !== 'Escape' || !(event.target instanceof Node) || !header?.contains(event.target)) return
      if (event.target instanceof HTMLSelectElement || (event.target as Element).closest('dialog')) return
      onToggle(false)
      button.current?.focus()
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [open, onToggle])
  return (
    <button
      ref={button}
      type="button"
      className={`${BUTTON} head-menu-button`}
      data-action="head-menu"
      aria-expanded={open}
      onClick={() => onToggle(!open)}
    >
      {t.headMenu}
    </button>
  )
}
