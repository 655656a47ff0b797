import type * as Y from 'yjs'
import { type Facilitation, mayDo, type Role, readFacilitation } from '../../model/phases.js'
import { type DecodedUpdate, scopeOf } from './update-scope.js'

/** How long after a phase change changes allowed before it are still accepted (they were in flight). */
export const DEFAULT_PHASE_GRACE_MS = 3000

/**
 * The werksessie's rules, enforced on every incoming update before it is stored: the update's changes
 * (update-scope.ts) must all be allowed for the sender's role in the current phase (model/phases.ts).
 * Returns null when allowed, or why not.
 */
export class RuleKeeper {
  private previous: { facilitation: Facilitation; until: number } | null = null
  private current: Facilitation

  constructor(
    private readonly doc: Y.Doc,
    private readonly graceMs = DEFAULT_PHASE_GRACE_MS,
    private readonly now: () => number = Date.now,
  ) {
    this.current = readFacilitation(doc)
    doc.getMap('meta').observe(() => {
      const next = readFacilitation(doc)
      if (next.phase !== this.current.phase || next.selectionBy !== this.current.selectionBy) {
        this.previous = { facilitation: this.current, until: this.now() + this.graceMs }
        this.current = next
      }
    })
  }

  /** `pending`: the structs of updates accepted before this one that are not applied to the doc yet. */
  check(
    role: Role,
    update: Uint8Array | DecodedUpdate,
    pending: readonly DecodedUpdate['structs'][] = [],
  ): string | null {
    if (role === 'facilitator') return null
    const scope = scopeOf(this.doc, update, pending)
    if (scope.unknown) return 'the update refers to content this board does not have'
    const grace = this.previous && this.now() < this.previous.until ? this.previous.facilitation : null
    for (const action of scope.actions) {
      if (mayDo(role, action, this.current)) continue
      if (grace && mayDo(role, action, grace)) continue
      return `not allowed in phase "${this.current.phase}": ${action} (${scope.where.get(action)})`
    }
    return null
  }
}
