/**
 * Generated illustrations for the demo publication.
 *
 * Every demo article gets an abstract SVG illustration (gradient background
 * plus a simple motif) and every demo author gets a generated portrait with
 * their initials. The SVG is rasterised to JPEG with sharp, so the demo
 * content ships without any binary assets.
 */
import sharp from 'sharp';
import type { DemoImage } from './content.ts';
import { stripControlChars } from '#lib/control-chars.ts';

type Motif = DemoImage['motif'];
type Rgb = [number, number, number];

const JPEG_QUALITY = 82;
const FALLBACK: [string, string] = ['#1f3a5f', '#c8553d'];
const FONT_STACK = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif";

/** Escape text for use in SVG content or attribute values. */
function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function parseHex(value: string): Rgb | null {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value.trim());
  if (!m) return null;
  let hex = m[1]!;
  if (hex.length === 3)
    hex = hex
      .split('')
      .map((c) => c + c)
      .join('');
  const n = Number.parseInt(hex, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function toHex([r, g, b]: Rgb): string {
  const h = (v: number) =>
    Math.max(0, Math.min(255, Math.round(v)))
      .toString(16)
      .padStart(2, '0');
  return `#${h(r)}${h(g)}${h(b)}`;
}

/** Linear mix of two colours; t = 0 gives a, t = 1 gives b. */
function mix(a: Rgb, b: Rgb, t: number): string {
  return toHex([a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]);
}

const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [12, 14, 20];

function lighten(c: Rgb, t: number): Rgb {
  return [c[0] + (255 - c[0]) * t, c[1] + (255 - c[1]) * t, c[2] + (255 - c[2]) * t];
}

/** Only well-formed hex colours ever reach the SVG; anything else falls back. */
function safePalette(palette: readonly [string, string] | readonly string[]): [Rgb, Rgb] {
  const a = parseHex(String(palette[0] ?? '')) ?? parseHex(FALLBACK[0])!;
  const b = parseHex(String(palette[1] ?? '')) ?? parseHex(FALLBACK[1])!;
  return [a, b];
}

/** Small deterministic PRNG (mulberry32) so each palette/motif pair is stable. */
function rng(seedText: string): () => number {
  let seed = 2166136261;
  for (let i = 0; i < seedText.length; i++) {
    seed ^= seedText.charCodeAt(i);
    seed = Math.imul(seed, 16777619);
  }
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const r1 = (n: number) => Math.round(n * 10) / 10;

function clampSize(n: number, max = 4096): number {
  if (!Number.isFinite(n)) return 1;
  return Math.max(1, Math.min(max, Math.round(n)));
}

interface Ctx {
  w: number;
  h: number;
  a: Rgb;
  b: Rgb;
  rand: () => number;
}

function skyline({ w, h, a, b, rand }: Ctx): string {
  const parts: string[] = [];
  const sunR = h * (0.12 + rand() * 0.06);
  parts.push(
    `<circle cx="${r1(w * (0.55 + rand() * 0.3))}" cy="${r1(h * 0.3)}" r="${r1(sunR)}" fill="${mix(b, WHITE, 0.6)}" opacity="0.85"/>`,
  );
  for (let layer = 0; layer < 2; layer++) {
    const [minH, spread] = layer === 0 ? [0.35, 0.4] : [0.2, 0.32];
    const colour = layer === 0 ? mix(a, WHITE, 0.25) : mix(a, BLACK, 0.55);
    let x = -rand() * w * 0.05;
    while (x < w) {
      const bw = w * (0.04 + rand() * 0.07);
      const bh = h * (minH + rand() * spread);
      const y = h - bh;
      parts.push(
        `<rect x="${r1(x)}" y="${r1(y)}" width="${r1(bw + 1)}" height="${r1(bh)}" fill="${colour}" opacity="${layer === 0 ? 0.55 : 0.95}"/>`,
      );
      if (layer === 1 && bw > w * 0.05) {
        const win = Math.max(2, w * 0.008);
        for (let wy = y + win * 2; wy < h - win * 2; wy += win * 3) {
          for (let wx = x + win; wx < x + bw - win * 1.5; wx += win * 2.5) {
            if (rand() < 0.3)
              parts.push(
                `<rect x="${r1(wx)}" y="${r1(wy)}" width="${r1(win)}" height="${r1(win * 1.3)}" fill="${mix(b, WHITE, 0.5)}" opacity="0.8"/>`,
              );
          }
        }
      }
      x += bw + w * 0.004;
    }
  }
  return parts.join('');
}

function waves({ w, h, a, b, rand }: Ctx): string {
  const parts: string[] = [];
  const count = 5;
  for (let i = 0; i < count; i++) {
    const t = i / (count - 1);
    const y0 = h * (0.35 + t * 0.5);
    const amp = h * (0.04 + rand() * 0.06);
    const len = w * (0.35 + rand() * 0.4);
    const phase = rand() * len;
    let d = `M0 ${r1(h)} L0 ${r1(y0)}`;
    for (let x = 0; x <= w + 10; x += Math.max(4, w / 80)) {
      d += ` L${r1(x)} ${r1(y0 + Math.sin(((x + phase) / len) * Math.PI * 2) * amp)}`;
    }
    d += ` L${r1(w)} ${r1(h)} Z`;
    parts.push(`<path d="${d}" fill="${mix(a, b, t)}" opacity="${r1(0.35 + t * 0.5)}"/>`);
  }
  parts.push(
    `<circle cx="${r1(w * (0.15 + rand() * 0.2))}" cy="${r1(h * 0.22)}" r="${r1(h * 0.09)}" fill="${mix(b, WHITE, 0.7)}" opacity="0.7"/>`,
  );
  return parts.join('');
}

function grid({ w, h, a, b, rand }: Ctx): string {
  const parts: string[] = [];
  const cols = 12 + Math.floor(rand() * 6);
  const cell = w / cols;
  const rows = Math.ceil(h / cell);
  const gap = cell * 0.12;
  const cx = rand() * cols;
  const cy = rand() * rows;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const dist = Math.hypot(c - cx, r - cy) / cols;
      const v = Math.max(0, 1 - dist * 1.6) * 0.75 + rand() * 0.25;
      if (v < 0.12) continue;
      const fill = mix(a, b, Math.min(1, v));
      parts.push(
        `<rect x="${r1(c * cell + gap)}" y="${r1(r * cell + gap)}" width="${r1(cell - gap * 2)}" height="${r1(cell - gap * 2)}" rx="${r1(cell * 0.12)}" fill="${fill}" opacity="${r1(0.25 + v * 0.6)}"/>`,
      );
    }
  }
  return parts.join('');
}

function circles({ w, h, a, b, rand }: Ctx): string {
  const parts: string[] = [];
  const centres = 3 + Math.floor(rand() * 2);
  for (let i = 0; i < centres; i++) {
    // spread centres across the width so rings never collapse into one blob
    const cx = w * (0.1 + ((i + 0.2 + rand() * 0.6) / centres) * 0.8);
    const cy = h * (0.2 + rand() * 0.6);
    const maxR = h * (0.25 + rand() * 0.35);
    const colour = i % 2 === 0 ? mix(b, WHITE, 0.2) : mix(a, WHITE, 0.45);
    parts.push(`<circle cx="${r1(cx)}" cy="${r1(cy)}" r="${r1(maxR)}" fill="${colour}" opacity="0.22"/>`);
    for (let k = 1; k <= 4; k++) {
      parts.push(
        `<circle cx="${r1(cx)}" cy="${r1(cy)}" r="${r1((maxR * k) / 4)}" fill="none" stroke="${colour}" stroke-width="${r1(Math.max(1, h * 0.006))}" opacity="${r1(0.75 - k * 0.12)}"/>`,
      );
    }
  }
  return parts.join('');
}

function mountains({ w, h, a, b, rand }: Ctx): string {
  const parts: string[] = [];
  parts.push(
    `<circle cx="${r1(w * (0.2 + rand() * 0.6))}" cy="${r1(h * 0.3)}" r="${r1(h * 0.11)}" fill="${mix(b, WHITE, 0.65)}" opacity="0.9"/>`,
  );
  const layers = 4;
  for (let i = 0; i < layers; i++) {
    const t = i / (layers - 1);
    const base = h * (0.42 + t * 0.22);
    let d = `M0 ${r1(h)} L0 ${r1(base + rand() * h * 0.1)}`;
    let x = 0;
    while (x < w) {
      x += w * (0.08 + rand() * 0.14);
      const peak = base - h * (0.05 + rand() * (0.22 - t * 0.1));
      d += ` L${r1(x)} ${r1(peak)}`;
      x += w * (0.06 + rand() * 0.1);
      d += ` L${r1(x)} ${r1(base + rand() * h * 0.08)}`;
    }
    d += ` L${r1(w)} ${r1(h)} Z`;
    parts.push(`<path d="${d}" fill="${mix(lighten(a, 0.35), BLACK, t * 0.7)}" opacity="${r1(0.6 + t * 0.4)}"/>`);
  }
  return parts.join('');
}

function bars({ w, h, a, b, rand }: Ctx): string {
  const parts: string[] = [];
  const n = 14 + Math.floor(rand() * 8);
  const slot = (w * 0.84) / n;
  const left = w * 0.08;
  const floor = h * 0.86;
  let level = 0.3 + rand() * 0.2;
  const points: string[] = [];
  for (let i = 0; i < n; i++) {
    level = Math.max(0.12, Math.min(0.92, level + (rand() - 0.45) * 0.22));
    const bh = floor * level * 0.85;
    const x = left + i * slot;
    parts.push(
      `<rect x="${r1(x + slot * 0.15)}" y="${r1(floor - bh)}" width="${r1(slot * 0.7)}" height="${r1(bh)}" rx="${r1(slot * 0.08)}" fill="${mix(a, b, i / (n - 1))}" opacity="0.85"/>`,
    );
    points.push(`${r1(x + slot / 2)},${r1(floor - bh - h * 0.05)}`);
  }
  parts.push(
    `<rect x="${r1(left)}" y="${r1(floor)}" width="${r1(w * 0.84)}" height="${r1(Math.max(1, h * 0.006))}" fill="${mix(a, WHITE, 0.8)}" opacity="0.7"/>`,
  );
  parts.push(
    `<polyline points="${points.join(' ')}" fill="none" stroke="${mix(b, WHITE, 0.75)}" stroke-width="${r1(Math.max(1.5, h * 0.008))}" stroke-linejoin="round" stroke-linecap="round" opacity="0.9"/>`,
  );
  return parts.join('');
}

const MOTIFS: Record<Motif, (ctx: Ctx) => string> = { skyline, waves, grid, circles, mountains, bars };

/** Build the SVG source for an article illustration (exported for tests/debugging). */
export function demoImageSvg(image: Pick<DemoImage, 'palette' | 'motif'>, width: number, height: number): string {
  const w = clampSize(width);
  const h = clampSize(height);
  const [a, b] = safePalette(image.palette);
  const motif: Motif = Object.hasOwn(MOTIFS, image.motif) ? image.motif : 'circles';
  const rand = rng(`${toHex(a)}|${toHex(b)}|${motif}`);
  const angle = Math.floor(rand() * 4);
  const [x1, y1, x2, y2] = [
    [0, 0, 1, 1],
    [0, 1, 1, 0],
    [0, 0, 1, 0],
    [0, 0, 0, 1],
  ][angle]!;
  const body = MOTIFS[motif]({ w, h, a, b, rand });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">`,
    '<defs>',
    `<linearGradient id="bg" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}">`,
    `<stop offset="0" stop-color="${mix(a, BLACK, 0.25)}"/>`,
    `<stop offset="0.6" stop-color="${mix(a, b, 0.45)}"/>`,
    `<stop offset="1" stop-color="${mix(b, WHITE, 0.15)}"/>`,
    '</linearGradient>',
    '<radialGradient id="vignette" cx="0.5" cy="0.45" r="0.75">',
    '<stop offset="0.55" stop-color="#000" stop-opacity="0"/>',
    '<stop offset="1" stop-color="#000" stop-opacity="0.35"/>',
    '</radialGradient>',
    '</defs>',
    `<rect width="${w}" height="${h}" fill="url(#bg)"/>`,
    body,
    `<rect width="${w}" height="${h}" fill="url(#vignette)"/>`,
    '</svg>',
  ].join('');
}

/** Build the SVG source for an author portrait (exported for tests/debugging). */
export function demoPortraitSvg(palette: [string, string], initials: string, size: number): string {
  const s = clampSize(size, 2048);
  const [a, b] = safePalette(palette);
  const text = escapeXml(
    Array.from(stripControlChars(initials.normalize('NFC')).trim())
      .slice(0, 3)
      .join('')
      .toUpperCase(),
  );
  const fontSize = r1(s * (text.length > 2 ? 0.3 : 0.38));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${s}" height="${s}" viewBox="0 0 ${s} ${s}">`,
    '<defs>',
    '<linearGradient id="pg" x1="0" y1="0" x2="1" y2="1">',
    `<stop offset="0" stop-color="${mix(a, WHITE, 0.1)}"/>`,
    `<stop offset="1" stop-color="${mix(b, BLACK, 0.15)}"/>`,
    '</linearGradient>',
    '</defs>',
    `<rect width="${s}" height="${s}" fill="url(#pg)"/>`,
    `<circle cx="${r1(s * 0.5)}" cy="${r1(s * 0.5)}" r="${r1(s * 0.4)}" fill="#fff" opacity="0.1"/>`,
    `<circle cx="${r1(s * 0.82)}" cy="${r1(s * 0.18)}" r="${r1(s * 0.3)}" fill="#fff" opacity="0.07"/>`,
    `<text x="50%" y="50%" dy="0.35em" text-anchor="middle" font-family="${escapeXml(FONT_STACK)}" font-weight="600" font-size="${fontSize}" letter-spacing="${r1(s * 0.01)}" fill="#ffffff">${text}</text>`,
    '</svg>',
  ].join('');
}

async function rasterise(svg: string): Promise<Buffer> {
  return sharp(Buffer.from(svg, 'utf8'), { density: 72 })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: JPEG_QUALITY, mozjpeg: true })
    .toBuffer();
}

/** Render an abstract article illustration as a JPEG of exactly width x height. */
export async function renderDemoImage(
  image: Pick<DemoImage, 'palette' | 'motif'>,
  width: number,
  height: number,
): Promise<Buffer> {
  return rasterise(demoImageSvg(image, width, height));
}

/** Render a square author portrait with initials as a JPEG. */
export async function renderDemoPortrait(palette: [string, string], initials: string, size: number): Promise<Buffer> {
  return rasterise(demoPortraitSvg(palette, initials, size));
}
