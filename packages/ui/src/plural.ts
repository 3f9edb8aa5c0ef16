const rulesCache = new Map<string, Intl.PluralRules>();

/**
 * "1 invoice", "2 invoices" by the locale's plural rules (Intl.PluralRules): `forms` maps the
 * plural categories a language uses (one, few, many, other…) to the word; `other` is required.
 */
export function plural(count: number, forms: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }, locale = 'en'): string {
  let rules = rulesCache.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    rulesCache.set(locale, rules);
  }
  const word = forms[rules.select(count)] ?? forms.other;
  return `${new Intl.NumberFormat(locale).format(count)} ${word}`;
}
