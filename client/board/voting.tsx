import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react'
import type * as Y from 'yjs'
import { DEFAULT_VOTING, type VotingSettings } from '../../model/voting.js'
import { useI18n } from '../i18n.js'
import { useVoteTotals, useVotingSettings } from './hooks.js'

interface MyVotes {
  votes: Record<string, number>
  remaining: number
  settings: VotingSettings
}

interface Voting {
  open: boolean
  mine: MyVotes | null
  totals: Map<string, number>
  cast: (cardId: string, delta: 1 | -1) => Promise<void>
}

const VotingContext = createContext<Voting>({
  open: false,
  mine: null,
  totals: new Map(),
  cast: async () => {},
})

/** This browser's voter id on a board: a secret kept locally, sent only to the server. */
function voterSecret(boardId: string): string {
  const key = `werkbord.voter.${boardId}`
  let secret = localStorage.getItem(key)
  if (!secret) {
    secret = `${crypto.randomUUID()}${crypto.randomUUID()}`.replace(/-/g, '')
    localStorage.setItem(key, secret)
  }
  return secret
}

/**
 * Voting state for the views: whether voting is open, my votes and what is left (from the server:
 * hidden votes are not in the document), and the revealed totals (from the document).
 */
export function VotingProvider(props: {
  boardId: string
  token: string
  doc: Y.Doc
  open: boolean
  canVote: boolean
  children: ReactNode
}) {
  const { boardId, token, doc, open, canVote } = props
  const [mine, setMine] = useState<MyVotes | null>(null)
  const totals = useVoteTotals(doc)
  const settings = useVotingSettings(doc)
  const headers = useMemo(
    () => ({ authorization: `Bearer ${token}`, 'x-werkbord-voter': voterSecret(boardId) }),
    [boardId, token],
  )

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new budget changes what is left: fetch again
  useEffect(() => {
    if (!open || !canVote) return
    fetch(`/api/boards/${encodeURIComponent(boardId)}/votes`, { headers })
      .then((res) => (res.ok ? res.json() : null))
      .then((state: MyVotes | null) => state && setMine(state))
      .catch(() => {})
  }, [open, canVote, boardId, headers, settings.budget, settings.multiplePerCard])

  const cast = useCallback(
    async (cardId: string, delta: 1 | -1) => {
      const res = await fetch(`/api/boards/${encodeURIComponent(boardId)}/votes`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ cardId, delta }),
      })
      const state = (await res.json()) as Partial<MyVotes>
      if (state.votes && state.settings) setMine(state as MyVotes)
    },
    [boardId, headers],
  )

  const value = useMemo(
    () => ({ open: open && canVote, mine, totals, cast }),
    [open, canVote, mine, totals, cast],
  )
  return <VotingContext.Provider value={value}>{props.children}</VotingContext.Provider>
}

export function useVoting(): Voting {
  return useContext(VotingContext)
}

/** On a card: vote and take back while voting is open; the total once revealed. */
export function VoteControls({ cardId }: { cardId: string }) {
  const { t } = useI18n()
  const { open, mine, totals, cast } = useVoting()
  const total = totals.get(cardId)
  const my = mine?.votes[cardId] ?? 0
  const settings = mine?.settings ?? DEFAULT_VOTING
  return (
    <div className="votes" data-votes={total ?? ''}>
      {total !== undefined && <span className="vote-total">{t.votesTotal(total)}</span>}
      {open && mine && (
        <>
          {my > 0 && <span className="my-votes">{t.myVotes(my)}</span>}
          <button
            type="button"
            data-action="vote"
            disabled={mine.remaining === 0 || (!settings.multiplePerCard && my > 0)}
            onClick={() => void cast(cardId, 1)}
          >
            {t.vote}
          </button>
          {my > 0 && (
            <button type="button" data-action="unvote" onClick={() => void cast(cardId, -1)}>
              {t.unvote}
            </button>
          )}
        </>
      )}
    </div>
  )
}

/** Above the cards, staying in view while scrolling: what is left to give. */
export function VotesLeft() {
  const { t } = useI18n()
  const { open, mine } = useVoting()
  if (!open || !mine) return null
  return (
    <div className="votes-left" role="status" data-remaining={mine.remaining}>
      {t.votesLeft(mine.remaining)}
    </div>
  )
}
