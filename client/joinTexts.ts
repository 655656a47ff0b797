/**
 * The join screen's texts, in Dutch and English: the page's first script (main.ts, joinScreen.ts) shows
 * the join screen before anything else loads, so it carries these and not every text (texts.ts, which
 * includes them). Every other text lives in texts.ts.
 */
const nl = {
  joinTitle: 'Meedoen aan de werksessie',
  yourName: 'Je naam',
  nameWithoutRole: 'Vul je eigen naam in, zonder rol of haakjes: je rol staat er vanzelf bij.',
  yourColor: 'Je kleur',
  join: 'Meedoen',
  joiningAs: 'Je doet mee als',
  loading: 'Bord laden…',
  colorNames: {
    '#2b5fa8': 'blauw',
    '#c4572a': 'oranje',
    '#2f7d4f': 'groen',
    '#b4478a': 'roze',
    '#6b4fa8': 'paars',
    '#c28a00': 'okergeel',
    '#0f7c86': 'blauwgroen',
    '#a33b3b': 'rood',
  } as Record<string, string>,
}

const en: typeof nl = {
  joinTitle: 'Join the workshop',
  yourName: 'Your name',
  nameWithoutRole: 'Enter your own name, without a role or brackets: your role is shown beside it.',
  yourColor: 'Your colour',
  join: 'Join',
  joiningAs: 'You join as',
  loading: 'Loading board…',
  colorNames: {
    '#2b5fa8': 'blue',
    '#c4572a': 'orange',
    '#2f7d4f': 'green',
    '#b4478a': 'pink',
    '#6b4fa8': 'purple',
    '#c28a00': 'ochre',
    '#0f7c86': 'teal',
    '#a33b3b': 'red',
  } as Record<string, string>,
}

export const joinTexts = { nl, en }
export type JoinTexts = typeof nl
