/**
 * "the Dispatch newsletter", but "The Meridian Dispatch newsletter": a name that already
 * starts with "The" takes no second one. Use wherever a sentence puts "the" before a name.
 */
export function theName(name: string): string {
  return /^the\s/i.test(name.trim()) ? name : `the ${name}`;
}
