/** This browser's name and colour on boards (remembered), and the colours to choose from. Framework-free. */
export const COLORS = ['#2b5fa8', '#c4572a', '#2f7d4f', '#b4478a', '#6b4fa8', '#c28a00', '#0f7c86', '#a33b3b']

const NAME_KEY = 'werkbord.name'
const COLOR_KEY = 'werkbord.color'

export function rememberedUser(): { name: string; color: string } {
  const color = localStorage.getItem(COLOR_KEY) ?? COLORS[Math.floor(Math.random() * COLORS.length)]
  return { name: localStorage.getItem(NAME_KEY) ?? '', color: color as string }
}

export function rememberUser(user: { name: string; color: string }): void {
  localStorage.setItem(NAME_KEY, user.name)
  localStorage.setItem(COLOR_KEY, user.color)
}
