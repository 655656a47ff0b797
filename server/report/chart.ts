import { createRequire } from 'node:module'
import path from 'node:path'
import { rankingSvg } from '../../model/views/ranking-svg.js'
import { dutchDate } from '../export/cells.js'
import type { ReportData } from './gather.js'

const require = createRequire(import.meta.url)

/** The picture is drawn this wide (px); the PNG for Word twice as wide, so it stays sharp in print. */
export const CHART_WIDTH = 960

/** Bars at most: a board of thousands of cards gives a readable picture (and a PNG of sane size). */
export const CHART_BARS = 30

/** Dutch texts of the vote chart. */
const votes = (n: number) => (n === 1 ? '1 stem' : `${n} stemmen`)

/**
 * The vote ranking as an SVG bar chart (model/views' renderer, the one the Uitslag view uses): a bar
 * per card that got votes, the others counted under the bars (the report's table lists every card).
 */
export function rankingChart(data: ReportData): string {
  const voted = data.ranking.cards.filter((card) => card.votes > 0).length
  const top = voted > CHART_BARS ? ` · de ${CHART_BARS} acties met de meeste stemmen` : ''
  return rankingSvg(
    data.ranking,
    data.template,
    {
      title: data.title,
      subtitle: `Uitslag van de stemming · ${dutchDate(new Date(data.madeAt).toISOString())}${top}`,
    },
    {
      votes,
      noTitle: '(zonder titel)',
      hidden: 'De stemmen zijn nog niet bekendgemaakt.',
      unvoted: (n) => (n === 1 ? '1 actie zonder stemmen' : `${n} acties zonder stemmen`),
    },
    { width: CHART_WIDTH, ...(voted > CHART_BARS ? { limit: CHART_BARS } : {}) },
  )
}

/**
 * An SVG as a PNG, for Word (which shows SVG only from Office 2016 on, and LibreOffice not from DOCX):
 * drawn by resvg with the DejaVu fonts shipped in the `dejavu-fonts-ttf` package, never the machine's
 * fonts, so the picture is the same on every server. Loaded on first use (a native module).
 */
export async function svgToPng(svg: string, width = CHART_WIDTH * 2): Promise<Uint8Array> {
  const { Resvg } = await import('@resvg/resvg-js')
  const fonts = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf')
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: width },
    background: '#ffffff',
    font: {
      loadSystemFonts: false,
      fontFiles: ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((file) => path.join(fonts, file)),
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
  })
  return resvg.render().asPng()
}
