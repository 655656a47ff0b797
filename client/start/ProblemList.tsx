import { useI18n } from '../i18n.js'
import { problemText, type TemplateProblem } from './templateProblems.js'

/** The problems the server found in a template, each naming its place (shown inside an alert). */
export function ProblemList({ problems }: { problems: TemplateProblem[] }) {
  const { t } = useI18n()
  if (problems.length === 0) return null
  return (
    <ul className="problems">
      {problems.map((problem) => (
        <li key={`${problem.path}\n${problem.keyword}\n${problem.message}`}>{problemText(problem, t)}</li>
      ))}
    </ul>
  )
}
