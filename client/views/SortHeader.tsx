import { useI18n } from '../i18n.js'

export interface Sort<K> {
  key: K
  descending: boolean
}

/** A column heading that sorts the table by its column (again: the other way round). */
export function SortHeader<K>(props: {
  label: string
  sortKey: K
  sort: Sort<K>
  onSort: (sort: Sort<K>) => void
  className?: string
  /** A theme column: a bar in the theme's colour above the name. */
  color?: string
}) {
  const { t } = useI18n()
  const { label, sortKey, sort, onSort, className, color } = props
  const current = JSON.stringify(sort.key) === JSON.stringify(sortKey)
  return (
    <th
      scope="col"
      className={className}
      aria-sort={current ? (sort.descending ? 'descending' : 'ascending') : undefined}
      style={color ? { borderTopColor: color } : undefined}
    >
      <button
        type="button"
        className="view-sort"
        title={t.sortBy(label)}
        onClick={() => onSort({ key: sortKey, descending: current ? !sort.descending : false })}
      >
        {label}
        <span aria-hidden="true" className="view-sort-arrow">
          {current ? (sort.descending ? '▼' : '▲') : ''}
        </span>
      </button>
    </th>
  )
}
