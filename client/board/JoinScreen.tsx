import { type FormEvent, useState } from 'react'
import { cleanName } from '../../model/names.js'
import { useI18n } from '../i18n.js'
import { COLORS, rememberedUser } from './presence.js'

/** Asks for a name (remembered in this browser) and a colour before joining a board. */
export function JoinScreen({
  title,
  fixedName,
  onJoin,
}: {
  title: string
  /** A personal invitation's name: shown, not asked (the server uses it whatever is typed). */
  fixedName?: string
  onJoin: (user: { name: string; color: string }) => void
}) {
  const { t } = useI18n()
  const [user, setUser] = useState(() => {
    const remembered = rememberedUser()
    return fixedName ? { ...remembered, name: fixedName } : remembered
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    // The server shows others the name cleaned this way (no roles, brackets): share what they will see.
    const name = fixedName ?? cleanName(user.name)
    if (name) onJoin({ name, color: user.color })
  }
  return (
    <main className="join">
      <form onSubmit={submit}>
        <h1>{t.joinTitle}</h1>
        {title && <p className="join-board">{title}</p>}
        {fixedName ? (
          <p className="join-as">
            {t.joiningAs} <strong>{fixedName}</strong>
          </p>
        ) : (
          <label>
            {t.yourName}
            <input
              value={user.name}
              onChange={(e) => {
                const typed = e.target.value
                e.target.setCustomValidity(typed.trim() === '' || cleanName(typed) ? '' : t.nameWithoutRole)
                setUser({ ...user, name: typed })
              }}
              maxLength={60}
              autoComplete="name"
              required
            />
          </label>
        )}
        <fieldset>
          <legend>{t.yourColor}</legend>
          <div className="colors">
            {COLORS.map((color) => (
              <label
                key={color}
                className="color"
                style={{ background: color }}
                title={t.colorNames[color] ?? color}
              >
                <input
                  type="radio"
                  name="color"
                  value={color}
                  checked={user.color === color}
                  onChange={() => setUser({ ...user, color })}
                  aria-label={t.colorNames[color] ?? color}
                />
              </label>
            ))}
          </div>
        </fieldset>
        <button type="submit">{t.join}</button>
      </form>
    </main>
  )
}
