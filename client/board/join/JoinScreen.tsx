import { useEffect, useRef } from 'react'
import { useI18n } from '../../i18n.js'
import { renderJoinScreen } from './joinScreen.js'

/**
 * The join screen inside the React app (a board link whose info came late). The screen itself is
 * joinScreen.ts, plain DOM: a phone shows it before React has loaded (main.ts).
 */
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
  const container = useRef<HTMLDivElement>(null)
  const join = useRef(onJoin)
  join.current = onJoin
  useEffect(() => {
    if (!container.current) return
    return renderJoinScreen(container.current, {
      title,
      t,
      fixedName,
      onJoin: (user) => join.current(user),
    })
  }, [title, t, fixedName])
  return <div ref={container} />
}
