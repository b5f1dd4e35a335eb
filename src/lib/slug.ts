/** Lowercase ASCII words joined by hyphens; diacritics folded, everything else dropped. */
export function slugify(text: string, maxLength = 80): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (s.length <= maxLength) return s;
  // Cut between words: "upholds-foreign-a" reads as a typo. Fall back to a hard cut only
  // when the first word alone is longer than the limit.
  const cut = s.slice(0, maxLength + 1);
  const lastHyphen = cut.lastIndexOf('-');
  return (lastHyphen > 0 ? cut.slice(0, lastHyphen) : s.slice(0, maxLength)).replace(/-+$/, '');
}

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function isSlug(s: string): boolean {
  return s.length > 0 && s.length <= 120 && SLUG_PATTERN.test(s);
}
