import { useEffect, useRef } from 'react'
import type * as Y from 'yjs'
import type { Phase } from '../../../model/phases.js'
import { useI18n } from '../../i18n.js'
import { useVotingSettings } from '../hooks.js'
import { useAnnounce } from './announcer.js'

/**
 * Tells screen readers what changes on its own: a new phase (and what it allows) and the votes being
 * shown or hidden. Nothing is said for the state found on joining.
 */
export function BoardAnnouncements({ doc, phase }: { doc: Y.Doc; phase: Phase }) {
  const { t } = useI18n()
  const announce = useAnnounce()
  const { revealed } = useVotingSettings(doc)
  const seen = useRef({ phase, revealed })
  useEffect(() => {
    const before = seen.current
    seen.current = { phase, revealed }
    if (before.phase !== phase) announce(t.phaseNow(t.phases[phase].label, t.phases[phase].allows))
    else if (before.revealed !== revealed) announce(revealed ? t.votesRevealed : t.votesHidden)
  }, [phase, revealed, announce, t])
  return null
}
