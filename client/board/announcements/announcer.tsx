import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react'

type Announce = (message: string) => void

const AnnounceContext = createContext<Announce>(() => {})

/**
 * One polite live region for the board: moves, phase changes, the reveal of the votes and the end of
 * the timer are told to screen readers through it. The region exists before anything is announced,
 * so the first message is read too.
 */
export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState({ text: '', n: 0 })
  // The same text twice (two moves to the same place) is still read: the counter changes the node.
  const announce = useCallback((text: string) => setMessage((m) => ({ text, n: m.n + 1 })), [])
  const value = useMemo(() => announce, [announce])
  return (
    <AnnounceContext.Provider value={value}>
      {children}
      <div className="visually-hidden" aria-live="polite" data-announcements="">
        <span key={message.n}>{message.text}</span>
      </div>
    </AnnounceContext.Provider>
  )
}

export function useAnnounce(): Announce {
  return useContext(AnnounceContext)
}
