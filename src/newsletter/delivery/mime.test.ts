import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simpleParser } from 'mailparser';
import { listIdHeader } from './deliver.ts';
import { compileEdition, fillBody } from './mime.ts';

test('a raw edition decodes to exactly the filled-in bodies, with encoded headers and short lines', async () => {
  const long = 'Ā'.repeat(30) + ' word'.repeat(60);
  const html = `<p>${long}</p>\n<p>Zürich café — “quotes” & <b>bold</b> = sign</p><a href="{{unsubscribe_url}}">Unsubscribe</a>{{manage_url}}<a href='{{manage_url}}'>x</a>\n  trailing spaces   \n`;
  const text = `${long}\r\nLine with = and tab\t\nManage: {{manage_url}}\nUnsubscribe: {{unsubscribe_url}}\n\n.leading dot\n`;
  const links = {
    unsubscribe: 'https://news.example.test/newsletter/unsubscribe/12.AbCdEfGhIjKlMnOpQrStUvWxYz012345?a=1&b=2',
    manage: 'https://news.example.test/newsletter/manage/12.AbCdEfGhIjKlMnOpQrStUvWxYz012345',
  };
  const edition = compileEdition({
    from: { name: 'Rīgas Vēstnesis', address: 'news@example.org' },
    subject: 'Ziņas: “the week” — Ünïcödé',
    html,
    text,
  });
  const headers = {
    'List-Unsubscribe': `<${links.unsubscribe}>, <mailto:unsubscribe+12.x@example.org>`,
    'List-Id': '"Rīgas" <newsletter.example.org>',
  };
  const raw = edition.build({
    to: 'reader@example.net',
    messageId: '<n1.12.abc@example.org>',
    headers,
    links,
    date: new Date('2026-11-27T08:00:00Z'),
  });
  const s = raw.toString('utf8');
  const split = s.indexOf('\r\n\r\n');
  // Headers: the hard limit (a URL cannot be folded); bodies: quoted-printable's 76.
  for (const line of s.slice(0, split).split('\r\n')) assert.ok(line.length <= 998, `header line too long: ${line}`);
  for (const line of s.slice(split + 4).split('\r\n')) assert.ok(line.length <= 76, `body line too long: ${line}`);
  assert.doesNotMatch(s.replace(/\r\n/g, ''), /[\r\n]/, 'CRLF line ends only');
  const p = await simpleParser(raw);
  assert.equal(p.subject, 'Ziņas: “the week” — Ünïcödé');
  assert.equal(p.from?.value[0]?.name, 'Rīgas Vēstnesis');
  assert.equal(p.from?.value[0]?.address, 'news@example.org');
  assert.equal(p.messageId, '<n1.12.abc@example.org>');
  assert.equal(p.date?.toISOString(), '2026-11-27T08:00:00.000Z');
  assert.equal(p.text, fillBody(text, links, 'text').replace(/\r?\n/g, '\n'));
  assert.equal(p.html, fillBody(html, links, 'html').replace(/\r?\n/g, '\n'));
  assert.ok(
    p.html &&
      p.html.includes(
        'href="https://news.example.test/newsletter/unsubscribe/12.AbCdEfGhIjKlMnOpQrStUvWxYz012345?a=1&amp;b=2"',
      ),
  );
});

test('List-Id: the publication name as a phrase (quotes and control characters dropped, non-ASCII encoded), the id from our domain', () => {
  assert.equal(
    listIdHeader('The Meridian Dispatch', 'news@Meridian.example'),
    '"The Meridian Dispatch" <newsletter.meridian.example>',
  );
  assert.equal(
    listIdHeader('Say "hi"\r\nBcc: x@y.example', 'news@example.org'),
    '"Say hiBcc: x@y.example" <newsletter.example.org>',
  );
  assert.equal(listIdHeader('   ', 'news@example.org'), '<newsletter.example.org>');
  assert.equal(
    listIdHeader('Rīgas Vēstnesis', 'news@bücher.example'),
    `=?UTF-8?B?${Buffer.from('Rīgas Vēstnesis').toString('base64')}?= <newsletter.xn--bcher-kva.example>`,
  );
});
