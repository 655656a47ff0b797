import { type FormEvent, useState } from 'react'
import { useI18n } from '../i18n.js'
import { COLORS, rememberedUser } from './presence.js'

/** Asks for a name (remembered in this browser) and a colour before joining a board. */
export function JoinScreen({
  title,
  onJoin,
}: {
  title: string
  onJoin: (user: { name: string; color: string }) => void
}) {
  const { t } = useI18n()
  const [user, setUser] = useState(rememberedUser)
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const name = user.name.trim()
    if (name) onJoin({ name: name.slice(0, 60), color: user.color })
  }
  return (
    <main className="join">
      <form onSubmit={submit}>
        <h1>{t.joinTitle}</h1>
        {title && <p className="join-board">{title}</p>}
        <label>
          {t.yourName}
          <input
            value={user.name}
            onChange={(e) => setUser({ ...user, name: e.target.value })}
            maxLength={60}
            autoComplete="name"
            required
          />
        </label>
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
