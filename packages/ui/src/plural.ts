const rulesCache = new Map<string, Intl.PluralRules>();

/**
 * "1 invoice", "2 invoices" by the locale's plural rules (Intl.PluralRules): `forms` maps the
 * plural categories a language uses (one, few, many, other…) to the word; `other` is required.
 */
export function plural(count: number, forms: PluralForms, locale = 'en'): string {
  return `${new Intl.NumberFormat(locale).format(count)} ${pluralWord(count, forms, locale)}`;
}

export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/** The word alone ("tenant" for 1, "tenants" otherwise), for when the count is set apart (in bold). */
export function pluralWord(count: number, forms: PluralForms, locale = 'en'): string {
  let rules = rulesCache.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    rulesCache.set(locale, rules);
  }
  return forms[rules.select(count)] ?? forms.other;
}
