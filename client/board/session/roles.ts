export type Role = 'facilitator' | 'participant' | 'observer'

export function canEdit(role: Role): boolean {
  return role !== 'observer'
}
