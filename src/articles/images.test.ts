import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, test } from 'node:test';
import sharp from 'sharp';
import { processImage } from './images.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-images-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function crc32(buf: Buffer): number {
  return zlib.crc32(buf);
}

/** A tiny PNG whose header claims the given size: a decompression bomb's calling card. */
function pngClaiming(width: number, height: number): Buffer {
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const idat = zlib.deflateSync(Buffer.alloc(1024));
  return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

test('variants are re-encoded with GPS and all other metadata removed', async () => {
  const withGps = await sharp({ create: { width: 2000, height: 1200, channels: 3, background: '#884422' } })
    .withExif({
      IFD0: { Make: 'SpyCam', Model: 'X1', Copyright: 'secret' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '55/1 45/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '37/1 37/1 0/1' },
    })
    .jpeg()
    .toBuffer();
  assert.ok((await sharp(withGps).metadata()).exif, 'the input really carries EXIF');
  const img = await processImage(dir, withGps, new Date('2026-11-28T10:00:00Z'));
  assert.deepEqual(
    img.variants.map((v) => `${v.width}x${v.height}.${v.format}`),
    ['480x288.webp', '480x288.jpeg', '960x576.webp', '960x576.jpeg', '1600x960.webp', '1600x960.jpeg'],
  );
  for (const v of img.variants) {
    const file = fs.readFileSync(path.join(dir, v.file));
    const meta = await sharp(file).metadata();
    assert.equal(meta.exif, undefined, `${v.file} has no EXIF`);
    assert.equal(meta.xmp, undefined);
    assert.equal(meta.iptc, undefined);
    assert.ok(
      !file.includes(Buffer.from('SpyCam')) && !file.includes(Buffer.from('GPS')),
      `${v.file} carries no camera or GPS strings`,
    );
  }
});

test('small images are never upscaled', async () => {
  const small = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#000' } })
    .png()
    .toBuffer();
  const img = await processImage(dir, small, new Date());
  assert.deepEqual([...new Set(img.variants.map((v) => v.width))], [300]);
});

test('non-images, SVG and pixel bombs are refused and leave nothing on disk', async () => {
  const before = fs.readdirSync(dir, { recursive: true }).length;
  await assert.rejects(
    processImage(dir, Buffer.from('GIF89a but not really'), new Date()),
    (e: { status?: number; code?: string }) => e.status === 415,
  );
  await assert.rejects(
    processImage(
      dir,
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      new Date(),
    ),
    (e: { status?: number }) => e.status === 415,
  );
  const bomb = pngClaiming(50_000, 50_000);
  assert.ok(bomb.length < 2000);
  const rssBefore = process.memoryUsage().rss;
  await assert.rejects(
    processImage(dir, bomb, new Date()),
    (e: { status?: number; code?: string }) => e.status === 413 && e.code === 'MEDIA_TOO_MANY_PIXELS',
  );
  assert.ok(process.memoryUsage().rss - rssBefore < 200 * 1024 * 1024, 'the bomb was not decoded');
  assert.equal(fs.readdirSync(dir, { recursive: true }).length, before);
});
