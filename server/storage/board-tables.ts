/**
 * Deleting a board (BoardStore.deleteBoard) empties every table that has a `board_id` column, found in
 * the schema itself, so a table added later is covered without touching the deletion. Convention for
 * new tables: key a board's rows by a column named `board_id`. Tables found but not named here are
 * emptied first (alphabetically), then these in this order, `boards` last. PostgreSQL retries a table
 * whose foreign keys are still referred to after the others (PostgresStore.deleteBoard).
 */
export const BOARD_TABLES_IN_ORDER: readonly string[] = ['votes', 'updates', 'snapshots']

/** The tables to empty of a board's rows, in deletion order (without `boards` itself). */
export function boardTablesFirst(found: readonly string[]): string[] {
  const known = BOARD_TABLES_IN_ORDER.filter((table) => found.includes(table))
  const others = found.filter((table) => table !== 'boards' && !known.includes(table)).sort()
  return [...others, ...known]
}
