import { type Language, type Texts, texts } from './texts.js'

/** Where this browser's choice of language is kept (Dutch unless English was chosen). */
export const LANGUAGE_KEY = 'werkbord.language'

export function storedLanguage(): Language {
  return localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'nl'
}

/** The texts in this browser's language, for code that runs before React (the join screen). */
export function storedTexts(): Texts {
  return texts[storedLanguage()]
}
