import { useEffect, useRef } from 'react'
import type * as Y from 'yjs'
import { replaceText } from '../../model/fields.js'
import { LocalOrigin } from './session/session.js'
import './controls.css'

interface Props {
  /** The Y.Text this field edits, from the model (`fieldText`). */
  text: Y.Text
  label: string
  placeholder?: string
  readOnly?: boolean
  rows?: number
  id?: string
  onFocusChange?: (focused: boolean) => void
  /** Called after each local edit, inside the same transaction (e.g. to touch updatedAt). */
  onLocalEdit?: () => void
}

/**
 * A textarea bound to a Y.Text. Typing changes only the edited span of the Y.Text, so people typing
 * in the same field at once both keep every keystroke. Remote edits are applied while you type, and
 * your caret and selection move with the text around them instead of jumping.
 */
export function TextField({
  text,
  label,
  placeholder,
  readOnly,
  rows = 2,
  id,
  onFocusChange,
  onLocalEdit,
}: Props) {
  const ref = useRef<HTMLTextAreaElement>(null)
  const origin = useRef(new LocalOrigin('text-field')).current

  useEffect(() => {
    const el = ref.current
    if (!el) return
    el.value = text.toString()
    const onRemote = (event: Y.YTextEvent, transaction: Y.Transaction) => {
      if (transaction.origin === origin) return
      const focused = document.activeElement === el
      const start = transformIndex(el.selectionStart, event.delta)
      const end = transformIndex(el.selectionEnd, event.delta)
      el.value = text.toString()
      if (focused) el.setSelectionRange(start, end)
    }
    text.observe(onRemote)
    return () => text.unobserve(onRemote)
  }, [text, origin])

  const onInput = () => {
    const el = ref.current
    const doc = text.doc
    if (!el || !doc) return
    // Our own origin: the observer above skips it, and undo tracks it as this user's change.
    doc.transact(() => {
      replaceText(text, el.value)
      onLocalEdit?.()
    }, origin)
  }

  return (
    <textarea
      ref={ref}
      id={id}
      className="utrecht-textarea utrecht-textarea--html-textarea"
      aria-label={label}
      placeholder={placeholder}
      readOnly={readOnly}
      rows={rows}
      onInput={onInput}
      onFocus={() => onFocusChange?.(true)}
      onBlur={() => onFocusChange?.(false)}
      spellCheck
    />
  )
}

/** Where a position in the old text lands after a change described by a Yjs delta. */
export function transformIndex(index: number, delta: Y.YTextEvent['delta']): number {
  let oldPos = 0
  let result = index
  for (const op of delta) {
    if (oldPos > index) break
    if (op.retain !== undefined) {
      oldPos += op.retain
    } else if (op.insert !== undefined) {
      const length = typeof op.insert === 'string' ? op.insert.length : 1
      if (oldPos < index) result += length
    } else if (op.delete !== undefined) {
      if (oldPos < index) result -= Math.min(op.delete, index - oldPos)
      oldPos += op.delete
    }
  }
  return Math.max(0, result)
}
