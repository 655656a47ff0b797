import { type KeyboardEvent, memo, type ReactNode } from 'react'
import type * as Y from 'yjs'
import type { Phase } from '../../model/phases.js'
import type { BoardTemplate } from '../../model/template.js'
import { useCardFace } from '../board/hooks.js'
import { useVoting } from '../board/voting.js'
import { useI18n } from '../i18n.js'
import { cardThemes, cardTitle } from './title.js'
import './card.css'

/** Someone else editing the card (from presence): shown as a dot in their colour and their name. */
export interface CardEditorMark {
  name: string
  color: string
}

/**
 * The props of the one card face (list view, canvas, phone, beamer). Stable API: add optional props,
 * never change the meaning of these.
 */
export interface CardFaceProps {
  doc: Y.Doc
  cardId: string
  /** The card's number as the board numbers it (`useLaneLayout(doc).numbers` / `cardNumbers`). */
  number: number
  template: BoardTemplate
  /** The werksessie's phase: decides what the face shows besides the text (votes, criteria). */
  phase: Phase
  /**
   * Opens the card's detail editor. When given, the card's title is a button (click, tap, Enter):
   * the card's one Tab stop. Without it the title is plain text (beamer, read-only pictures).
   */
  onOpen?: (cardId: string) => void
  /** Other people editing this card now. Compared by content, so a fresh array does not re-render. */
  editors?: readonly CardEditorMark[]
  /** The facilitator put this card in the spotlight. */
  spotlit?: boolean
  /**
   * 'list' (default): compact, for grids and the phone. 'canvas': fills the box it is given (the
   * canvas shape sets width and height). 'beamer': large type, no controls (vote button hidden).
   */
  variant?: 'list' | 'canvas' | 'beamer'
  /** Level of the card's heading; lanes are `h2`, so cards default to `h3`. */
  headingLevel?: 2 | 3 | 4
  /** Extra controls after the phase area, e.g. "Naar Shortlist". Keep them to one or two Tab stops. */
  children?: ReactNode
  /** Keyboard operations on the whole card (the list view's Alt+arrows). */
  onKeyDown?: (event: KeyboardEvent<HTMLElement>) => void
}

/**
 * One action card at a glance: number, theme colour(s) named in words, the actie in at most two
 * lines, and what matters in the phase — the vote button and your own votes (Stemmen), the total once
 * revealed, the criteria ticks (Selecteren), who is editing. Values, never input boxes.
 *
 * Reads the card through its own subscription (`useCardFace`: only what the face shows): a change to
 * one card re-renders only that card's face, and only when it changes what the face shows. Voting
 * comes from `VotingProvider` (client/board/voting.tsx) when there is one above it.
 * Memoised: give it stable props (ids, numbers, `useCallback` handlers) and it renders only when its
 * own card, the voting state or its props change. `children` is compared by identity: a caller that
 * passes children should memoise its own row (see client/list/ListCard.tsx).
 *
 * Tab stops: the title button (when `onOpen`), the vote button, "Stem terug" once you voted, and the
 * children — at most four in the list view.
 */
export const CardFace = memo(CardFaceView, sameProps)
// Named for React's developer tools (and the render-counting browser test), also when minified.
CardFaceView.displayName = 'CardFace'

function CardFaceView(props: CardFaceProps) {
  const { doc, cardId, number, template, phase, onOpen, editors = [], spotlit, children, onKeyDown } = props
  const variant = props.variant ?? 'list'
  const { t } = useI18n()
  const card = useCardFace(doc, cardId, number)
  if (!card) return null
  const title = cardTitle(card)
  const name = t.card(card.number, title)
  const themes = cardThemes(card, template)
  const headingId = `face-${cardId}`
  const Heading = `h${props.headingLevel ?? 3}` as 'h3'
  const colors = themes.map((theme) => theme.color)
  const stripe =
    colors.length > 1
      ? `linear-gradient(90deg, ${colors.map((c, i) => `${c} ${(i / colors.length) * 100}% ${((i + 1) / colors.length) * 100}%`).join(', ')})`
      : colors[0]
  const classes = ['card-face', `card-face-${variant}`, spotlit ? 'spotlit' : ''].filter(Boolean).join(' ')

  return (
    <article
      className={classes}
      data-card-id={cardId}
      data-phase={phase}
      aria-label={name}
      onKeyDown={onKeyDown}
    >
      <div className="card-face-stripe" style={stripe ? { background: stripe } : undefined} />
      <div className="card-face-top">
        <span className="card-number" aria-hidden="true">
          {card.number}
        </span>
        {themes.length > 0 && (
          <span className="card-face-themes">
            <span className="visually-hidden">{t.themesOf('')}</span>
            {themes.map((theme) => theme.label).join(' · ')}
          </span>
        )}
        {editors.length > 0 && (
          <span className="card-face-editors" title={t.editing(editors.map((e) => e.name).join(', '))}>
            {editors.map((editor) => (
              <span
                key={editor.name}
                className="dot"
                style={{ background: editor.color }}
                aria-hidden="true"
              />
            ))}
            <span className="visually-hidden">{t.editing(editors.map((e) => e.name).join(', '))}</span>
          </span>
        )}
      </div>
      <Heading id={headingId} className="card-face-title">
        {onOpen ? (
          <button
            type="button"
            className="card-open"
            data-action="open"
            aria-haspopup="dialog"
            onClick={() => onOpen(cardId)}
          >
            <span className="visually-hidden">{t.card(card.number, '')}: </span>
            <span className="card-face-text">{title || t.noTitle}</span>
          </button>
        ) : (
          <span className="card-face-text">
            <span className="visually-hidden">{t.card(card.number, '')}: </span>
            {title || t.noTitle}
          </span>
        )}
      </Heading>
      <PhaseArea
        cardId={cardId}
        name={title ? `${card.number}: ${title}` : String(card.number)}
        phase={phase}
        template={template}
        met={card.criteria}
        interactive={variant !== 'beamer'}
      />
      {children && <div className="card-face-actions">{children}</div>}
    </article>
  )
}

/** What the phase asks of a card: votes while voting, the total once revealed, criteria while selecting. */
function PhaseArea(props: {
  cardId: string
  name: string
  phase: Phase
  template: BoardTemplate
  met: readonly string[]
  interactive: boolean
}) {
  const { t } = useI18n()
  const { cardId, name, phase, template, met, interactive } = props
  const { open, mine, totals, cast } = useVoting()
  const total = totals.get(cardId)
  const my = mine?.votes[cardId] ?? 0
  const voting = open && mine !== null && interactive
  const criteria = template.criteria ?? []
  const showCriteria =
    criteria.length > 0 && (phase === 'selecteren' || phase === 'afgerond' || met.length > 0)
  if (!voting && total === undefined && !showCriteria) return null
  return (
    <div className="card-face-phase">
      {total !== undefined && (
        <span className="vote-total" data-votes={total}>
          {t.votesTotal(total)}
        </span>
      )}
      {showCriteria && (
        <span
          className="card-face-criteria"
          title={criteria.map((c) => `${met.includes(c.id) ? '✓' : '○'} ${c.label}`).join('\n')}
        >
          <span aria-hidden="true">
            {criteria.map((c) => (
              <span
                key={c.id}
                className={met.includes(c.id) ? 'tick tick-met' : 'tick'}
                data-criterion={c.id}
                data-met={met.includes(c.id)}
              >
                {met.includes(c.id) ? '✓' : ''}
              </span>
            ))}
          </span>
          <span className="visually-hidden">
            {t.criteriaMet(met.length, criteria.length)}:{' '}
            {criteria
              .map((c) => `${c.label} ${met.includes(c.id) ? t.criterionMet : t.criterionNotMet}`)
              .join('; ')}
          </span>
        </span>
      )}
      {voting && mine && (
        <span className="card-face-vote">
          {my > 0 && (
            <span className="my-votes" data-my-votes={my}>
              {t.myVotes(my)}
            </span>
          )}
          {my > 0 && (
            <button
              type="button"
              className="unvote"
              data-action="unvote"
              aria-label={t.unvoteOn(name)}
              onClick={() => void cast(cardId, -1)}
            >
              −
            </button>
          )}
          <button
            type="button"
            className="vote"
            data-action="vote"
            aria-label={t.voteOn(name)}
            disabled={mine.remaining === 0 || (!mine.settings.multiplePerCard && my > 0)}
            onClick={() => void cast(cardId, 1)}
          >
            {my > 0 && !mine.settings.multiplePerCard ? '✓' : t.vote}
          </button>
        </span>
      )}
    </div>
  )
}

function sameProps(a: CardFaceProps, b: CardFaceProps): boolean {
  for (const key of Object.keys({ ...a, ...b }) as (keyof CardFaceProps)[]) {
    if (key === 'editors') continue
    if (a[key] !== b[key]) return false
  }
  const ea = a.editors ?? []
  const eb = b.editors ?? []
  return ea.length === eb.length && ea.every((e, i) => e.name === eb[i]?.name && e.color === eb[i]?.color)
}
