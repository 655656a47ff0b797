import { type JoinTexts, joinTexts } from './joinTexts.js'
import type { Language } from './texts.js'

/** Where this browser's choice of language is kept (Dutch unless English was chosen). */
export const LANGUAGE_KEY = 'werkbord.language'

export function storedLanguage(): Language {
  return localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'nl'
}

/** The join screen's texts in this browser's language, for code that runs before React (main.ts). */
export function storedJoinTexts(): JoinTexts {
  return joinTexts[storedLanguage()]
}
