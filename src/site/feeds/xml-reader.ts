import assert from 'node:assert/strict';

/**
 * A strict little XML reader for the tests (no XML parser is a dependency): it throws on
 * anything that is not well-formed — unbalanced or malformed tags, bare `&`, unknown
 * entities, duplicate attributes, characters XML 1.0 forbids, text outside the root — and
 * returns a tree with entities decoded, so tests assert on what a feed reader would see.
 */
export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

const NAME = '[A-Za-z_][\\w.:-]*';
const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string, where: string): string {
  return s.replace(/&([^;]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw new Error(`bare & in ${where}: …${s.slice(0, 60)}`);
    if (ref in ENTITY) return ENTITY[ref] ?? '';
    const m = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ref);
    if (!m) throw new Error(`unknown entity &${ref}; in ${where}`);
    return String.fromCodePoint(m[1] ? parseInt(m[1], 16) : Number(m[2]));
  });
}

export function parseXml(doc: string): XmlNode {
  const illegal = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u.exec(doc);
  if (illegal) throw new Error(`character U+${illegal[0].codePointAt(0)?.toString(16)} is not allowed in XML`);
  const root: XmlNode = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlNode[] = [root];
  const tagRe = new RegExp(`^<(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>`);
  let i = 0;
  while (i < doc.length) {
    const top = stack[stack.length - 1]!;
    if (doc.startsWith('<?', i)) {
      if (root.children.length > 0 || stack.length > 1)
        throw new Error('processing instruction after the root element');
      i = doc.indexOf('?>', i) + 2;
      if (i < 2) throw new Error('unterminated processing instruction');
    } else if (doc.startsWith('<!--', i)) {
      i = doc.indexOf('-->', i) + 3;
      if (i < 3) throw new Error('unterminated comment');
    } else if (doc.startsWith('<![CDATA[', i)) {
      const end = doc.indexOf(']]>', i);
      if (end < 0 || stack.length === 1) throw new Error('bad CDATA section');
      top.text += doc.slice(i + 9, end);
      i = end + 3;
    } else if (doc.startsWith('</', i)) {
      const m = new RegExp(`^</(${NAME})\\s*>`).exec(doc.slice(i));
      if (!m || m[1] !== top.name)
        throw new Error(`mismatched end tag ${m?.[1] ?? doc.slice(i, i + 20)} for <${top.name}>`);
      stack.pop();
      i += m[0].length;
    } else if (doc[i] === '<') {
      const m = tagRe.exec(doc.slice(i));
      if (!m) throw new Error(`malformed tag: ${doc.slice(i, i + 80)}`);
      if (stack.length === 1 && root.children.length > 0) throw new Error('more than one root element');
      const node: XmlNode = { name: m[1]!, attrs: {}, children: [], text: '' };
      for (const a of (m[2] ?? '').matchAll(new RegExp(`(${NAME})\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'g'))) {
        if (a[1]! in node.attrs) throw new Error(`duplicate attribute ${a[1]} on <${node.name}>`);
        node.attrs[a[1]!] = decode(a[2] ?? a[3] ?? '', `attribute ${a[1]}`);
      }
      top.children.push(node);
      if (!m[3]) stack.push(node);
      i += m[0].length;
    } else {
      const end = doc.indexOf('<', i) < 0 ? doc.length : doc.indexOf('<', i);
      const raw = doc.slice(i, end);
      if (raw.includes(']]>')) throw new Error(']]> in text');
      if (stack.length === 1 && raw.trim()) throw new Error(`text outside the root element: ${raw.slice(0, 40)}`);
      top.text += decode(raw, `<${top.name}>`);
      i = end;
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]?.name}>`);
  const [el] = root.children;
  if (!el) throw new Error('no root element');
  return el;
}

export function all(node: XmlNode, name: string): XmlNode[] {
  return node.children.flatMap((c) => [...(c.name === name ? [c] : []), ...all(c, name)]);
}
export function one(node: XmlNode, name: string): XmlNode {
  const found = all(node, name);
  assert.ok(found.length > 0, `<${name}> missing in <${node.name}>`);
  return found[0]!;
}
export const kids = (node: XmlNode, name: string) => node.children.filter((c) => c.name === name);
export const textOf = (node: XmlNode, name: string) => one(node, name).text;
