import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { getMedia, listMedia, renderMarkdown, uploadMedia } from '#articles';
import { fromDbJson } from '#db';
import { createTestApp, type TestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { multipartBody, postMultipart, type FilePart } from '#test/multipart.ts';
import { makeStaff, signedIn, type Browser } from '#test/newsroom.ts';

/** A tiny PNG whose header claims the given size: a decompression bomb's calling card. */
function pngClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    sig,
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.alloc(1024))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const file = (filename: string, contentType: string, data: Buffer): FilePart => ({
  name: 'file',
  filename,
  contentType,
  data,
});

for (const dialect of dialects) {
  describe(`newsroom media library on ${dialect}`, () => {
    let t: TestApp;
    let editor: Browser;
    let gpsJpeg: Buffer;

    const storedFiles = () =>
      fs.existsSync(t.config.mediaDir)
        ? fs
            .readdirSync(t.config.mediaDir, { recursive: true, withFileTypes: true })
            .filter((e) => !e.isDirectory())
            .map((e) => path.relative(t.config.mediaDir, path.join(e.parentPath, e.name)))
            .sort()
        : [];
    const mediaRows = async () =>
      Number(
        (
          await t.testDb.db.kysely
            .selectFrom('media')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    before(async () => {
      t = await createTestApp(dialect);
      editor = await signedIn(t.app, await makeStaff(t.app, 'editor'));
      gpsJpeg = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#336699' } })
        .withExif({
          IFD0: { Make: 'SpyCam', Model: 'X1' },
          IFD3: {
            GPSLatitudeRef: 'N',
            GPSLatitude: '55/1 45/1 0/1',
            GPSLongitudeRef: 'E',
            GPSLongitude: '37/1 37/1 0/1',
          },
        })
        .jpeg()
        .toBuffer();
    });
    after(() => t.close());

    test('a JPEG with GPS is stored as stripped variants and listed in the library', async () => {
      assert.ok((await sharp(gpsJpeg).metadata()).exif, 'the input really carries EXIF');
      await editor.get('/newsroom/media');
      const res = await postMultipart(
        editor,
        '/newsroom/media',
        { alt: 'A blue square', caption: 'Blue', credit: 'Ana / Wire' },
        [file('holiday.jpg', 'image/jpeg', gpsJpeg)],
      );
      assert.equal(res.statusCode, 303, res.body);
      const id = /^\/newsroom\/media\/(\d+)$/.exec(String(res.headers.location))?.[1];
      assert.ok(id, `redirected to the edit page, got ${res.headers.location}`);
      const row = await t.testDb.db.kysely
        .selectFrom('media')
        .selectAll()
        .where('id', '=', Number(id))
        .executeTakeFirstOrThrow();
      assert.equal(row.original_name, 'holiday.jpg');
      assert.deepEqual([row.width, row.height, row.alt, row.credit], [1200, 800, 'A blue square', 'Ana / Wire']);
      const variants = fromDbJson<{ file: string; width: number; format: string }[]>(row.variants, []);
      assert.deepEqual(storedFiles(), variants.map((v) => v.file).sort(), 'only the re-encoded variants are on disk');
      for (const v of variants) {
        const data = fs.readFileSync(path.join(t.config.mediaDir, v.file));
        const meta = await sharp(data).metadata();
        assert.equal(meta.exif, undefined, `${v.file} has no EXIF`);
        assert.equal(meta.xmp, undefined);
        assert.ok(
          !data.includes(Buffer.from('GPS')) && !data.includes(Buffer.from('SpyCam')),
          `${v.file} carries no GPS or camera strings`,
        );
      }
      const edit = await editor.get(`/newsroom/media/${id}`);
      assert.equal(edit.statusCode, 200);
      assert.match(edit.body, /value="A blue square"/);
      const lib = await editor.get('/newsroom/media');
      assert.equal(lib.statusCode, 200);
      const small = variants.find((v) => v.width === 480 && v.format === 'jpeg');
      assert.ok(small && lib.body.includes(`src="/media/${small.file}"`), 'the library shows the 480px variant');
      assert.match(lib.body, /alt="A blue square"/);
      assert.match(lib.body, /Ana \/ Wire/);
      assert.match(lib.body, /1200×800/);
      assert.match(lib.body, /enctype="multipart\/form-data"/);
    });

    test('refusals: oversize 413, text as .jpg 415, SVG 415, pixel bomb 413; nothing stored, never a 500', async () => {
      await editor.get('/newsroom/media');
      const filesBefore = storedFiles();
      const rowsBefore = await mediaRows();
      const oversize = Buffer.alloc(20 * 1024 * 1024 + 10, 0x41);
      oversize.set([0xff, 0xd8, 0xff, 0xe0]);
      const cases: [string, FilePart, number, string][] = [
        ['oversize', file('huge.jpg', 'image/jpeg', oversize), 413, 'larger than 20 MB'],
        [
          'text named .jpg',
          file('notes.jpg', 'image/jpeg', Buffer.from('Meeting notes, not a photo.\n')),
          415,
          'not an image',
        ],
        [
          'SVG',
          file(
            'logo.svg',
            'image/svg+xml',
            Buffer.from(
              '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            ),
          ),
          415,
          'SVG',
        ],
        [
          'SVG sent as PNG',
          file(
            'logo.png',
            'image/png',
            Buffer.from('\ufeff  <svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
          ),
          415,
          'SVG',
        ],
        ['pixel bomb', file('bomb.png', 'image/png', pngClaiming(50_000, 50_000)), 413, '40 megapixels'],
      ];
      for (const [label, part, status, words] of cases) {
        const rss = process.memoryUsage().rss;
        const res = await postMultipart(editor, '/newsroom/media', { alt: 'x' }, [part]);
        assert.equal(res.statusCode, status, `${label}: ${res.statusCode}`);
        assert.ok(res.body.includes(words), `${label}: the page says why`);
        assert.match(
          res.body,
          /<form method="post" action="\/newsroom\/media" enctype="multipart\/form-data"/,
          `${label}: the form comes back`,
        );
        if (label === 'pixel bomb')
          assert.ok(process.memoryUsage().rss - rss < 200 * 1024 * 1024, 'the bomb was not decoded');
      }
      const none = await postMultipart(editor, '/newsroom/media', { alt: 'x' }, []);
      assert.equal(none.statusCode, 400, 'no file chosen');
      assert.deepEqual(storedFiles(), filesBefore, 'no file left in the media directory');
      assert.equal(await mediaRows(), rowsBefore, 'no media row written');
    });

    test('CSRF and origin apply to multipart uploads', async () => {
      await editor.get('/newsroom/media');
      const rowsBefore = await mediaRows();
      const filesBefore = storedFiles();
      const jpeg = file('a.jpg', 'image/jpeg', gpsJpeg);
      assert.equal(
        (await postMultipart(editor, '/newsroom/media', {}, [jpeg], { csrf: null })).statusCode,
        403,
        'missing token',
      );
      assert.equal(
        (await postMultipart(editor, '/newsroom/media', {}, [jpeg], { csrf: 'forged' })).statusCode,
        403,
        'wrong token',
      );
      assert.equal(
        (await postMultipart(editor, '/newsroom/media', {}, [jpeg], { origin: 'https://evil.example' })).statusCode,
        403,
        'other origin',
      );
      assert.equal(await mediaRows(), rowsBefore);
      assert.deepEqual(storedFiles(), filesBefore);
    });

    test('signed-out uploads are refused; files sent to other routes or in bulk never reach the store', async () => {
      const rowsBefore = await mediaRows();
      const jpeg = file('a.jpg', 'image/jpeg', gpsJpeg);
      const { payload, contentType } = multipartBody({}, [jpeg]);
      const anon = await t.app.inject({
        method: 'POST',
        url: '/newsroom/media',
        headers: { 'content-type': contentType, origin: 'http://localhost:80' },
        payload,
      });
      assert.equal(anon.statusCode, 403, 'no CSRF cookie, no upload');
      await editor.get('/newsroom/media');
      const two = await postMultipart(editor, '/newsroom/media', {}, [jpeg, jpeg]);
      assert.equal(two.statusCode, 413, 'one file per upload');
      const broken = await t.app.inject({
        method: 'POST',
        url: '/newsroom/media',
        headers: {
          'content-type': 'multipart/form-data; boundary=xyz',
          cookie: [...editor.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        },
        payload: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\n\xff\xd8\xff',
      });
      assert.equal(broken.statusCode, 400, 'a truncated form is a bad request, not a server error');
      assert.equal(await mediaRows(), rowsBefore);
      // Other forms may be sent as multipart, but a file there is read and dropped.
      const [existing] = (await listMedia(t.app.masthead.articles, { page: 1, perPage: 1 })).items;
      assert.ok(existing);
      await editor.get(`/newsroom/media/${existing.id}`);
      const elsewhere = await postMultipart(
        editor,
        `/newsroom/media/${existing.id}`,
        { alt: 'Sent as multipart', caption: '', credit: '' },
        [jpeg],
      );
      assert.equal(elsewhere.statusCode, 303);
      assert.equal((await getMedia(t.app.masthead.articles, existing.id)).alt, 'Sent as multipart');
      assert.equal(await mediaRows(), rowsBefore);
    });

    test('a contributor uploads, and edited words persist and show in the library', async () => {
      const contributor = await signedIn(t.app, await makeStaff(t.app, 'contributor'));
      await contributor.get('/newsroom/media');
      const png = await sharp({ create: { width: 300, height: 200, channels: 4, background: '#ff000080' } })
        .png()
        .toBuffer();
      const res = await postMultipart(contributor, '/newsroom/media', {}, [file('red.png', 'image/png', png)]);
      assert.equal(res.statusCode, 303, res.body);
      const url = String(res.headers.location);
      await contributor.get(url);
      const saved = await contributor.post(url, {
        alt: 'A red rectangle',
        caption: 'Red, half see-through',
        credit: 'Chris Contributor / Masthead',
      });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, `${url}?saved=1`);
      assert.match((await contributor.get(saved.headers.location)).body, /value="Chris Contributor \/ Masthead"/);
      const lib = await contributor.get('/newsroom/media');
      assert.match(lib.body, /Chris Contributor \/ Masthead/);
      assert.match(lib.body, /alt="A red rectangle"/);
      assert.match(lib.body, /300×200/);
      const tooLong = await contributor.post(url, { alt: 'a'.repeat(501), caption: '', credit: '' });
      assert.equal(tooLong.statusCode, 400);
      assert.match(tooLong.body, /aria-invalid="true" aria-describedby="alt-error"/);

      // The credit is the photographer's due: another contributor may not rewrite it, an editor may.
      const id = Number(url.split('/').pop());
      const row = await t.testDb.db.kysely
        .selectFrom('media')
        .select('uploaded_by')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(
        row.uploaded_by,
        (
          await t.testDb.db.kysely
            .selectFrom('staff')
            .select('id')
            .where('role', '=', 'contributor')
            .orderBy('id', 'desc')
            .executeTakeFirstOrThrow()
        ).id,
      );
      const other = await signedIn(t.app, await makeStaff(t.app, 'contributor', 'Other Contributor'));
      await other.get('/newsroom/media');
      assert.equal((await other.post(url, { alt: 'x', caption: 'x', credit: 'Someone Else' })).statusCode, 403);
      await editor.get(url);
      assert.equal(
        (await editor.post(url, { alt: 'A red rectangle', caption: 'Red', credit: 'Chris Contributor / Masthead' }))
          .statusCode,
        303,
      );
      assert.equal((await getMedia(t.app.masthead.articles, id)).credit, 'Chris Contributor / Masthead');

      // The page offers a Markdown line that puts the image in an article body, and it survives sanitising.
      const page = await editor.get(url);
      const snippet = /id="snippet"[^>]*value="([^"]+)"/
        .exec(page.body)?.[1]
        ?.replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&');
      assert.ok(snippet, 'a snippet is offered');
      assert.match(snippet, /^!\[A red rectangle\]\(\/media\/[^ )]+\.jpg "Red — Chris Contributor \/ Masthead"\)$/);
      const { html } = renderMarkdown(snippet);
      assert.match(html, /<img src="\/media\/[^"]+\.jpg" alt="A red rectangle"/);
    });

    test('unknown or malformed image ids are 404s', async () => {
      for (const url of ['/newsroom/media/987654', '/newsroom/media/0', '/newsroom/media/abc']) {
        assert.equal((await editor.get(url)).statusCode, 404, url);
      }
      assert.equal((await editor.post('/newsroom/media/987654', { alt: '', caption: '', credit: '' })).statusCode, 404);
    });

    test('the library pages through images, newest first', async () => {
      const tiny = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#000' } })
        .png()
        .toBuffer();
      for (let i = 0; i < 25; i++)
        await uploadMedia(
          t.app.masthead.articles,
          { data: tiny, truncated: false, filename: `tiny-${i}.png` },
          { alt: `tiny ${i}`, caption: '', credit: '' },
        );
      const total = await mediaRows();
      const first = await editor.get('/newsroom/media');
      assert.equal([...first.body.matchAll(/<tr><td>\d+<\/td><td><picture>/g)].length, 24);
      assert.match(first.body, /alt="tiny 24"/);
      assert.match(first.body, /href="\/newsroom\/media\?page=2">Older</);
      const second = await editor.get('/newsroom/media?page=2');
      assert.equal([...second.body.matchAll(/<tr><td>\d+<\/td><td><picture>/g)].length, total - 24);
      assert.match(second.body, /href="\/newsroom\/media\?page=1">Newer</);
      assert.equal((await editor.get('/newsroom/media?page=99')).statusCode, 200);
    });
  });
}
