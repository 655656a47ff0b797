/** Every text the interface shows, in Dutch (default) and English. */
export const texts = {
  nl: {
    appName: 'Werkbord',
    tagline: 'Samen van ambities naar concrete acties.',
    chooseTemplate: 'Kies een template',
    boardTitle: 'Titel van het bord',
    create: 'Bord maken',
    creating: 'Bezig…',
    cards: (n: number) => (n === 1 ? '1 startkaart' : `${n} startkaarten`),
    links: 'Links voor dit bord',
    role: { facilitator: 'Facilitator', participant: 'Deelnemer', observer: 'Waarnemer' },
    boardPlaceholder:
      'Het canvas van dit bord komt in een volgende versie. De gegevens worden al live gesynchroniseerd.',
    loadFailed: 'Laden mislukt',
    language: 'English',
  },
  en: {
    appName: 'Werkbord',
    tagline: 'From ambitions to concrete actions, together.',
    chooseTemplate: 'Choose a template',
    boardTitle: 'Board title',
    create: 'Create board',
    creating: 'Working…',
    cards: (n: number) => (n === 1 ? '1 starting card' : `${n} starting cards`),
    links: 'Links for this board',
    role: { facilitator: 'Facilitator', participant: 'Participant', observer: 'Observer' },
    boardPlaceholder: 'The canvas of this board comes in a next version. Its data already syncs live.',
    loadFailed: 'Loading failed',
    language: 'Nederlands',
  },
} as const

export type Language = keyof typeof texts
export type Texts = (typeof texts)[Language]
