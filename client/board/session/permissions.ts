import type { Action, Facilitation, Role } from '../../../model/phases.js'
import { mayDo } from '../../../model/phases.js'

/** What this user may do now: the same rules the server enforces (model/phases.ts). */
export type Can = (action: Action) => boolean

export function permissions(role: Role, facilitation: Facilitation): Can {
  return (action) => mayDo(role, action, facilitation)
}
