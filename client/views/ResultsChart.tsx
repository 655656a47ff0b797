import { useCallback, useEffect, useId, useMemo, useState, useSyncExternalStore } from 'react'
import type * as Y from 'yjs'
import type { BoardTemplate } from '../../model/template.js'
import { rankingOf, rankingSvg, themeField } from '../../model/views/index.js'
import { useVoterCount, useVotingSettings } from '../board/hooks.js'
import { useVoting } from '../board/voting.js'
import { useI18n } from '../i18n.js'
import { Downloads } from './Downloads.js'
import { dateLabel, fileName, svgBlob } from './download.js'
import { useCards } from './useCards.js'
import './views.css'

export interface ResultsChartProps {
  doc: Y.Doc
  template: BoardTemplate
  title: string
}

/**
 * The vote ranking as a bar chart, after the reveal: the same SVG as the download (model/views),
 * shown as an image, with the number of voters, and the chart as a table for screen readers and
 * anyone who prefers numbers.
 */
export function ResultsChart({ doc, template, title }: ResultsChartProps) {
  const { t, language } = useI18n()
  const { totals } = useVoting()
  const settings = useVotingSettings(doc)
  const voters = useVoterCount(doc)
  const field = themeField(template)
  const cards = useCards(doc, field ? [field.id, 'actie'] : ['actie'])
  const ranking = useMemo(
    () => rankingOf(template, cards, totals, voters, settings.revealed),
    [template, cards, totals, voters, settings.revealed],
  )
  const headingId = useId()
  const themeLabels = useMemo(() => new Map(template.themes.map((th) => [th.id, th.label])), [template])
  const draw = useCallback(
    (width?: number) => {
      const date = dateLabel(language)
      return {
        svg: rankingSvg(
          ranking,
          template,
          { title, subtitle: t.pictureOf(`${t.views.results} · ${t.voters(voters)}`, date) },
          { votes: t.votesTotal, noTitle: t.noTitle, hidden: t.rankingHidden, unvoted: t.unvoted },
          { width },
        ),
        name: fileName(title, t.views.results),
      }
    },
    [ranking, template, title, t, voters, language],
  )
  const picture = useCallback(() => draw(), [draw])
  // On a phone the on-screen chart is drawn narrower, so its text stays legible; the download is not.
  const narrow = useNarrow()
  // The on-screen chart is the download's SVG as an image (no script, no outside fonts).
  const [src, setSrc] = useState<string | null>(null)
  useEffect(() => {
    if (!ranking.revealed) {
      setSrc(null)
      return
    }
    const url = URL.createObjectURL(svgBlob(draw(narrow ? 480 : undefined).svg))
    setSrc(url)
    return () => URL.revokeObjectURL(url)
  }, [ranking.revealed, draw, narrow])

  if (!ranking.revealed) return null
  return (
    <section className="view view-chart" aria-labelledby={headingId}>
      <div className="view-tools">
        <h2 id={headingId}>{t.chartHeading}</h2>
        <Downloads what={t.views.results} make={picture} />
      </div>
      <figure className="chart-figure">
        {src && <img src={src} alt={t.chartSummary(voters, ranking.cards.length)} data-chart="ranking" />}
        <figcaption>{t.voters(voters)}</figcaption>
      </figure>
      <details className="chart-table">
        <summary>{t.chartAsTable}</summary>
        <section
          className="view-scroll"
          aria-label={t.chartAsTable}
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable
          tabIndex={0}
        >
          <table className="view-table">
            <caption>{t.chartSummary(voters, ranking.cards.length)}</caption>
            <thead>
              <tr>
                <th scope="col">{t.columnPlace}</th>
                <th scope="col">{t.columnNumber}</th>
                <th scope="col">{t.columnTitle}</th>
                <th scope="col">{t.columnVotes}</th>
                <th scope="col">{t.columnThemes}</th>
              </tr>
            </thead>
            <tbody>
              {ranking.cards.map((card) => (
                <tr key={card.id} data-card-id={card.id} data-votes={card.votes}>
                  <td>{card.place}</td>
                  <td>{card.number}</td>
                  <th scope="row">{card.title || t.noTitle}</th>
                  <td>{card.votes}</td>
                  <td>{card.themes.map((id) => themeLabels.get(id) ?? id).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </details>
    </section>
  )
}

const NARROW = '(max-width: 600px)'

/** Whether the screen is phone-narrow; follows rotation and resizing. */
function useNarrow(): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const query = window.matchMedia(NARROW)
      query.addEventListener('change', onChange)
      return () => query.removeEventListener('change', onChange)
    },
    () => window.matchMedia(NARROW).matches,
  )
}
