import { createContext, type ReactNode, useContext, useState } from 'react'
import { LANGUAGE_KEY as STORAGE_KEY, storedLanguage } from './language.js'
import { type Language, type Texts, texts } from './texts.js'

interface I18n {
  t: Texts
  language: Language
  toggle: () => void
}

const Context = createContext<I18n>({ t: texts.nl, language: 'nl', toggle: () => {} })

/** Dutch by default; the choice of English is remembered in this browser. */
export function LanguageProvider({ children }: { children: ReactNode }) {
  const [language, setLanguage] = useState<Language>(storedLanguage)
  const toggle = () => {
    const next = language === 'nl' ? 'en' : 'nl'
    localStorage.setItem(STORAGE_KEY, next)
    document.documentElement.lang = next
    setLanguage(next)
  }
  return <Context.Provider value={{ t: texts[language], language, toggle }}>{children}</Context.Provider>
}

export function useI18n(): I18n {
  return useContext(Context)
}
