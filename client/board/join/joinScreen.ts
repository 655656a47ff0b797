import { cleanName } from '../../../model/names.js'
import type { JoinTexts } from '../../joinTexts.js'
import { COLORS, rememberedUser } from '../session/user.js'

export interface JoinScreenOptions {
  /** The board's title (from its info); empty: not shown. */
  title: string
  t: JoinTexts
  /** A personal invitation's name: shown, not asked (the server uses it whatever is typed). */
  fixedName?: string
  onJoin: (user: { name: string; color: string }) => void
}

/**
 * The join screen: asks for a name (remembered in this browser) and a colour before joining a board.
 * Plain DOM, no React: it is what a phone shows first on a board link, so it must not wait for React or
 * the board's code (they load while the name is typed; see main.ts). JoinScreen.tsx shows the same
 * screen inside the React app. Renders into `container` (replacing what is there); returns a function
 * that removes it.
 */
export function renderJoinScreen(
  container: HTMLElement,
  { title, t, fixedName, onJoin }: JoinScreenOptions,
): () => void {
  const user = rememberedUser()
  const main = element('main', { className: 'join' })
  const form = element('form')
  form.append(element('h1', { className: 'utrecht-heading-1', textContent: t.joinTitle }))
  if (title) form.append(element('p', { className: 'join-board', textContent: title }))
  const name = element('input', {
    className: 'utrecht-textbox utrecht-textbox--html-input',
    value: user.name,
    maxLength: 60,
    autocomplete: 'name',
    required: true,
  })
  name.addEventListener('input', () => {
    const typed = name.value
    name.setCustomValidity(typed.trim() === '' || cleanName(typed) ? '' : t.nameWithoutRole)
  })
  const nameLabel = element('label', { className: 'utrecht-form-label', textContent: t.yourName })
  nameLabel.append(name)
  const joiningAs = element('p', { className: 'join-as', textContent: `${t.joiningAs} ` })
  joiningAs.append(element('strong', { textContent: fixedName ?? '' }))
  const colors = element('div', { className: 'colors' })
  for (const color of COLORS) {
    const label = element('label', { className: 'color', title: t.colorNames[color] ?? color })
    label.style.background = color
    const radio = element('input', {
      type: 'radio',
      name: 'color',
      value: color,
      checked: user.color === color,
    })
    radio.setAttribute('aria-label', t.colorNames[color] ?? color)
    label.append(radio)
    colors.append(label)
  }
  const fieldset = element('fieldset')
  fieldset.append(element('legend', { textContent: t.yourColor }), colors)
  form.append(
    fixedName ? joiningAs : nameLabel,
    fieldset,
    element('button', {
      type: 'submit',
      className: 'utrecht-button utrecht-button--primary-action',
      textContent: t.join,
    }),
  )
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    // The server shows others the name cleaned this way (no roles, brackets): share what they will see.
    const cleaned = fixedName ?? cleanName(name.value)
    const chosen = form.querySelector<HTMLInputElement>('input[name="color"]:checked')?.value ?? user.color
    if (cleaned) onJoin({ name: cleaned, color: chosen })
  })
  main.append(form)
  container.replaceChildren(main)
  return () => main.remove()
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  properties: Partial<HTMLElementTagNameMap[K]> = {},
): HTMLElementTagNameMap[K] {
  return Object.assign(document.createElement(tag), properties)
}
