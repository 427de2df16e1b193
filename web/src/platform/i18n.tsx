/**
 * Languages of the console: zh-CN first, en-US second, remembered in localStorage. Every visible string
 * lives in a dictionary with both languages; `useT(dict)` gives a typed `t(key, vars)` for one dictionary.
 */
import { createContext, useCallback, useContext, useMemo, useState } from 'react';
import type { ReactNode } from 'react';

export type Lang = 'zh-CN' | 'en-US';
export interface Bilingual {
  zh: string;
  en: string;
}
export type Dict = Record<string, Bilingual>;
export type Vars = Record<string, string | number>;

const STORAGE_KEY = 'fuwu.lang';

function initialLang(): Lang {
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (saved === 'zh-CN' || saved === 'en-US') return saved;
  } catch {
    // storage may be unavailable (private mode): fall back to Chinese
  }
  return 'zh-CN';
}

let currentLang: Lang = initialLang();

/** The language in force, for code outside React (the API client's Accept-Language). */
export function activeLang(): Lang {
  return currentLang;
}

interface LangState {
  lang: Lang;
  setLang: (lang: Lang) => void;
}

const LangContext = createContext<LangState>({ lang: currentLang, setLang: () => {} });

export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(currentLang);
  const setLang = useCallback((next: Lang) => {
    currentLang = next;
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // not remembered, still switched
    }
    document.documentElement.lang = next;
    setLangState(next);
  }, []);
  const value = useMemo(() => ({ lang, setLang }), [lang, setLang]);
  return <LangContext.Provider value={value}>{children}</LangContext.Provider>;
}

export function useLang(): LangState {
  return useContext(LangContext);
}

/** Fills `{name}` placeholders. */
export function format(text: string, vars?: Vars): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** Picks the text of the language from a bilingual pair (registries in src/core carry `zh` and `en`). */
export function pick(lang: Lang, text: Bilingual): string {
  return lang === 'en-US' ? text.en : text.zh;
}

export type T<D extends Dict> = (key: keyof D & string, vars?: Vars) => string;

/** A translator for one dictionary, plus the language and `pick` for registry labels. */
export function useT<D extends Dict>(dict: D): { t: T<D>; lang: Lang; pick: (text: Bilingual) => string } {
  const { lang } = useLang();
  return useMemo(
    () => ({
      lang,
      t: (key, vars) => {
        const entry = dict[key];
        return entry ? format(pick(lang, entry), vars) : key;
      },
      pick: (text: Bilingual) => pick(lang, text),
    }),
    [dict, lang],
  );
}
