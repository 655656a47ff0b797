/**
 * A person's name as others see it (presence, "moved by"). Anyone can type anything, so a name is
 * cleaned before the server passes it on: it cannot carry a role (the role shown beside a name is the
 * server's, from the connection's link), hide characters, or run on.
 *
 * - Unicode NFKC, without control and invisible formatting characters (zero-width, bidi overrides);
 * - anything in brackets is dropped ("Anna (dagvoorzitter)" → "Anna"), and so are stray brackets;
 * - role words are dropped ("facilitator", "begeleider", "dagvoorzitter", "voorzitter", "moderator",
 *   "organisator", "beheerder", "admin", "host", …), in any case;
 * - spaces collapsed, separators at either end trimmed, at most MAX_NAME_LENGTH characters.
 *
 * Returns null when nothing is left.
 */
export const MAX_NAME_LENGTH = 40

const ROLE_WORDS = [
  'facilitator',
  'facilitatoren',
  'begeleider',
  'procesbegeleider',
  'dagvoorzitter',
  'voorzitter',
  'gespreksleider',
  'moderator',
  'organisator',
  'organiser',
  'organizer',
  'beheerder',
  'admin',
  'administrator',
  'host',
  'chair',
  'werkbord',
  'server',
]
const ROLE_PATTERN = new RegExp(`(?<![\\p{L}\\p{N}])(?:${ROLE_WORDS.join('|')})(?![\\p{L}\\p{N}])`, 'giu')
const BRACKETED = /[([{<（［｛〈【「『][^)\]}>）］｝〉】」』]*[)\]}>）］｝〉】」』]?/gu
const STRAY_BRACKETS = /[()[\]{}<>（）［］｛｝〈〉【】「」『』]/gu
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Zl}\p{Zp}]/gu
const EDGE = /^[\s\-–—:;|,.·•/\\_*~+=#@]+|[\s\-–—:;|,.·•/\\_*~+=#@]+$/gu

export function cleanName(raw: unknown): string | null {
  if (typeof raw !== 'string') return null
  let name = raw.slice(0, 1000).normalize('NFKC').replace(INVISIBLE, '')
  name = name.replace(BRACKETED, ' ').replace(STRAY_BRACKETS, ' ').replace(ROLE_PATTERN, ' ')
  name = name.replace(/\s+/gu, ' ').replace(EDGE, '')
  const chars = [...name]
  if (chars.length > MAX_NAME_LENGTH) name = chars.slice(0, MAX_NAME_LENGTH).join('').replace(EDGE, '')
  return name === '' ? null : name
}
