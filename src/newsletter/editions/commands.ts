import { ValidationError } from '#lib/errors.ts';
import { hasControlChars } from '#lib/control-chars.ts';

export const LIMITS = {
  subject: 200,
  preheader: 200,
  intro: 5000,
  signOff: 2000,
  heading: 120,
  blurb: 2000,
  items: 40,
} as const;

/** The fields of an edition an editor types. */
export interface EditionFields {
  subject: string;
  preheader: string;
  intro: string;
  signOff: string;
}

/** Per-item text from the composer form, by item id. */
export interface ItemTexts {
  headings: Map<number, string>;
  blurbs: Map<number, string>;
}

/** What else the composer's one form asks for besides saving. */
export type ComposerOp =
  | { op: 'save' }
  | { op: 'up' | 'down' | 'remove'; itemId: number }
  | { op: 'add-article'; articleId: number }
  | { op: 'add-heading'; heading: string };

function line(
  fields: Record<string, string>,
  key: string,
  value: string,
  max: number,
  required: string | null,
): string {
  const v = value.trim();
  if (required && v === '') fields[key] = required;
  else if (hasControlChars(v)) fields[key] = 'Use a single line without control characters';
  else if (v.length > max) fields[key] = `Use at most ${max} characters`;
  return v;
}

function block(fields: Record<string, string>, key: string, value: string, max: number): string {
  const v = value.replace(/\r\n/g, '\n').trim();
  if (hasControlChars(v, { allowLineBreaks: true })) fields[key] = 'Remove the control characters';
  else if (v.length > max) fields[key] = `Use at most ${max} characters`;
  return v;
}

/** Checks everything the composer form sent; throws EDITIONS_INVALID with every field problem. */
export function parseComposer(
  input: EditionFields,
  texts: ItemTexts,
  op: ComposerOp,
): { fields: EditionFields; texts: ItemTexts; op: ComposerOp } {
  const fields: Record<string, string> = {};
  const out: EditionFields = {
    subject: line(fields, 'subject', input.subject, LIMITS.subject, 'Give the edition a subject'),
    preheader: line(fields, 'preheader', input.preheader, LIMITS.preheader, null),
    intro: block(fields, 'intro', input.intro, LIMITS.intro),
    signOff: block(fields, 'signOff', input.signOff, LIMITS.signOff),
  };
  const headings = new Map<number, string>();
  const blurbs = new Map<number, string>();
  for (const [id, h] of texts.headings)
    headings.set(id, line(fields, `item-${id}-heading`, h, LIMITS.heading, 'A heading needs some text'));
  for (const [id, b] of texts.blurbs) blurbs.set(id, block(fields, `item-${id}-blurb`, b, LIMITS.blurb));
  let parsedOp = op;
  if (op.op === 'add-heading')
    parsedOp = {
      op: 'add-heading',
      heading: line(fields, 'newHeading', op.heading, LIMITS.heading, 'Type the heading to add'),
    };
  if (Object.keys(fields).length > 0)
    throw new ValidationError('EDITIONS_INVALID', 'Some fields need attention.', fields);
  return { fields: out, texts: { headings, blurbs }, op: parsedOp };
}

/** Reads the op a composer button asked for (`up:12`, `add-article:7`…); null if it is not one. */
export function parseOp(raw: string, newHeading: string): ComposerOp | null {
  if (raw === '' || raw === 'save') return { op: 'save' };
  if (raw === 'add-heading') return { op: 'add-heading', heading: newHeading };
  const m = /^(up|down|remove|add-article):([1-9][0-9]{0,9})$/.exec(raw);
  if (!m) return null;
  const id = Number(m[2]);
  return m[1] === 'add-article'
    ? { op: 'add-article', articleId: id }
    : { op: m[1] as 'up' | 'down' | 'remove', itemId: id };
}
