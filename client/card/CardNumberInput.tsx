/**
 * Picks another card by its number (a text box, not a list of every card: a board may hold a thousand).
 * Reports the card's id, or '' while the number matches no other card.
 */
export function CardNumberInput(props: {
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
      className="card-number-input"
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
