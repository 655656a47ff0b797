import { useState } from 'react'
import { BUTTON, TEXTBOX } from '../controls.js'

/**
 * Picks another card by its number (a text box, not a list of every card: a board may hold a thousand).
 * Reports the card's id, or '' while the number matches no other card.
 */
function CardNumberInput(props: {
  label: string
  numbers: Map<string, number>
  exclude: string
  value: string
  onChange: (cardId: string) => void
}) {
  const { label, numbers, exclude, value, onChange } = props
  const shown = value ? String(numbers.get(value) ?? '') : undefined
  return (
    <input
      type="number"
      min={1}
      className={`${TEXTBOX} card-number-input`}
      aria-label={label}
      placeholder={label}
      defaultValue={shown}
      key={value === '' ? 'empty' : value}
      onChange={(e) => {
        const n = Number(e.target.value)
        const match = [...numbers].find(([id, number]) => number === n && id !== exclude)
        onChange(match?.[0] ?? '')
      }}
    />
  )
}

/**
 * Another card picked by its number, and a button that acts on it (link, merge): `onPick` gets the
 * card's id; the box empties afterwards. The button is disabled until the number matches a card.
 */
export function CardNumberAction(props: {
  label: string
  numbers: Map<string, number>
  exclude: string
  action: string
  buttonLabel: string
  onPick: (cardId: string) => void
}) {
  const { label, numbers, exclude, action, buttonLabel, onPick } = props
  const [target, setTarget] = useState('')
  return (
    <>
      <CardNumberInput
        label={label}
        numbers={numbers}
        exclude={exclude}
        value={target}
        onChange={setTarget}
      />
      <button
        className={BUTTON}
        type="button"
        data-action={action}
        disabled={!target}
        onClick={() => {
          onPick(target)
          setTarget('')
        }}
      >
        {buttonLabel}
      </button>
    </>
  )
}
