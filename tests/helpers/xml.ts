import assert from 'node:assert/strict';
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import { SaxesParser } from 'saxes';

/**
 * Feed and sitemap output read with a real XML parser (saxes, see ADR 018): anything that is
 * not well-formed throws, and the tree holds text with entities decoded, as a feed reader
 * sees it. Names keep their prefixes (`dc:creator`), so tests name elements as written.
 */
export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

export function parseXml(doc: string): XmlNode {
  const parser = new SaxesParser();
  const root: XmlNode = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlNode[] = [root];
  let failure: Error | null = null;
  parser.on('error', (err) => {
    failure ??= err;
  });
  parser.on('opentag', (tag) => {
    const node: XmlNode = { name: tag.name, attrs: { ...tag.attributes }, children: [], text: '' };
    stack[stack.length - 1]!.children.push(node);
    stack.push(node);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.on('text', (text) => {
    stack[stack.length - 1]!.text += text;
  });
  parser.on('cdata', (text) => {
    stack[stack.length - 1]!.text += text;
  });
  parser.write(doc).close();
  if (failure) throw failure;
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

type Html = DefaultTreeAdapterMap;

/**
 * Decodes a field that the format says holds HTML (RSS `<description>`, and titles, which
 * readers treat the same way) as a feed reader does: parse the text as an HTML fragment.
 * Returns the elements that would come alive and the text a reader would see.
 */
export function readAsHtml(field: string): { elements: string[]; text: string } {
  const elements: string[] = [];
  let text = '';
  const walk = (node: Html['parentNode'] | Html['childNode']) => {
    if (node.nodeName === '#text') text += (node as Html['textNode']).value;
    else if (!node.nodeName.startsWith('#')) elements.push(node.nodeName);
    if ('childNodes' in node) for (const child of node.childNodes) walk(child);
  };
  walk(parseFragment(field));
  return { elements, text };
}
