import crypto from 'node:crypto';
import zlib from 'node:zlib';

export interface CachedPage {
  status: number;
  contentType: string;
  body: Buffer;
  /**
   * The gzip copy, made by `gzipOf` on the first request that accepts gzip (then kept with
   * the page, so a cached page is compressed once); null until then or if not worth it.
   */
  gzip: Buffer | null;
  /** Whether a gzip copy is worth serving (large enough). */
  gzippable: boolean;
  etag: string;
  lastModified: string; // HTTP date
  cacheControl: string;
}

/**
 * Rendered public pages, per process, in least-recently-used order. Emptied whenever the
 * public content changes (locally or, on PostgreSQL, in another process), so a page is
 * never served staler than the content it was rendered from.
 */
export class PageCache {
  private readonly entries = new Map<string, CachedPage>();
  readonly maxEntries: number;
  generation = 0;

  constructor(maxEntries: number) {
    this.maxEntries = maxEntries;
  }

  get(key: string): CachedPage | undefined {
    const hit = this.entries.get(key);
    if (hit && this.entries.size > 64) {
      // Refresh recency only when eviction can matter; keeps the hot path cheap.
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, page: CachedPage, generation: number): void {
    if (this.maxEntries === 0 || generation !== this.generation) return; // rendered from older content
    this.entries.set(key, page);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

const GZIP_MIN_BYTES = 1024;

/**
 * Builds the cacheable form of a rendered response: the bytes and validators. The gzip copy
 * is left to the first request that asks for it (`gzipOf`): with the page cache off, or for
 * a client that does not accept gzip, compressing would be wasted work.
 */
export function makePage(
  body: string | Buffer,
  opts: { status?: number; contentType: string; lastModified: Date; cacheControl: string },
): CachedPage {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  // One-shot hashing avoids the Hash object of createHash(); the ETag is the same.
  const etag = `"${crypto.hash('sha1', buf, 'base64url').slice(0, 22)}"`;
  return {
    status: opts.status ?? 200,
    contentType: opts.contentType,
    body: buf,
    gzip: null,
    gzippable: buf.length >= GZIP_MIN_BYTES,
    etag,
    lastModified: opts.lastModified.toUTCString(),
    cacheControl: opts.cacheControl,
  };
}

/** The page's gzip copy, made (at level 6) and kept on first use; null if not gzippable. */
export function gzipOf(page: CachedPage): Buffer | null {
  if (page.gzip === null && page.gzippable) page.gzip = zlib.gzipSync(page.body, { level: 6 });
  return page.gzip;
}
