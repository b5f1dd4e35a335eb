import { MAX_UPLOAD_BYTES, type MediaDetails, type MediaItem, type MediaVariant, type Page } from '#articles';
import { html, type SafeHtml } from '#lib/html.ts';
import { csrfField, fieldError, invalid } from './layout.ts';
import { UPLOAD_FIELD } from './media-upload.ts';

const ACCEPT = 'image/jpeg,image/png,image/webp,image/gif,image/avif';

/** The variant closest to (but not under) the wanted width, or the largest there is. */
function variantFor(item: MediaItem, format: MediaVariant['format'], width: number): MediaVariant | undefined {
  const sorted = item.variants.filter((v) => v.format === format).sort((a, b) => a.width - b.width);
  return sorted.find((v) => v.width >= width) ?? sorted.at(-1);
}

/** The 480px variant (WebP with a JPEG fallback), drawn at `shown` pixels wide; the CSP forbids inline styles. */
function picture(item: MediaItem, shown: number): SafeHtml {
  const webp = variantFor(item, 'webp', 480);
  const jpeg = variantFor(item, 'jpeg', 480);
  if (!jpeg) return html`<span class="nr-hint">(no preview)</span>`;
  const width = Math.min(shown, jpeg.width);
  const height = Math.round((jpeg.height * width) / jpeg.width);
  return html`<picture>${webp ? html`<source type="image/webp" srcset="/media/${webp.file}">` : ''}<img src="/media/${jpeg.file}" width="${width}" height="${height}" alt="${item.alt}" loading="lazy"></picture>`;
}

function when(iso: string): SafeHtml {
  return html`<time datetime="${iso}">${iso.slice(0, 16).replace('T', ' ')} UTC</time>`;
}

function detailFields(v: MediaDetails, e: Record<string, string> | undefined): SafeHtml {
  return html`<label for="alt">Alt text <span class="nr-hint">(what the image shows, for people who cannot see it)</span></label>
  <input id="alt" name="alt" maxlength="500" value="${v.alt}"${invalid(e, 'alt')}>
  ${fieldError(e, 'alt')}
  <label for="caption">Caption</label>
  <textarea id="caption" name="caption" rows="2" maxlength="1000"${invalid(e, 'caption')}>${v.caption}</textarea>
  ${fieldError(e, 'caption')}
  <label for="credit">Credit <span class="nr-hint">(Name / Agency)</span></label>
  <input id="credit" name="credit" maxlength="300" value="${v.credit}"${invalid(e, 'credit')}>
  ${fieldError(e, 'credit')}`;
}

export interface LibraryOptions {
  csrf: string;
  message?: string;
  errors?: Record<string, string>;
  values?: MediaDetails;
}

/** The media library: an upload form that works without JavaScript, then every image, newest first. */
export function libraryPage(result: Page<MediaItem>, o: LibraryOptions): SafeHtml {
  const e = o.errors;
  const v = o.values ?? { alt: '', caption: '', credit: '' };
  return html`<h1>Media library</h1>
${o.message ? html`<p class="nr-error" role="alert">${o.message}</p>` : ''}
<h2>Upload an image</h2>
<form method="post" action="/newsroom/media" enctype="multipart/form-data" class="nr-form">
  ${csrfField(o.csrf)}
  <label for="${UPLOAD_FIELD}">Image <span class="nr-hint">(JPEG, PNG, WebP, GIF or AVIF; up to ${MAX_UPLOAD_BYTES / 1024 / 1024} MB and 40 megapixels. Location and camera details are removed.)</span></label>
  <input id="${UPLOAD_FIELD}" name="${UPLOAD_FIELD}" type="file" accept="${ACCEPT}" required${invalid(e, UPLOAD_FIELD)}>
  ${fieldError(e, UPLOAD_FIELD)}
  ${detailFields(v, e)}
  <button type="submit">Upload</button>
</form>
<h2>Images</h2>
${
  result.items.length === 0
    ? html`<p>No images yet.</p>`
    : html`<table class="nr-table"><thead><tr><th scope="col">No.</th><th scope="col">Image</th><th scope="col">Alt text</th><th scope="col">Caption</th><th scope="col">Credit</th><th scope="col">Size</th><th scope="col">Uploaded</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>${result.items.map(
        (m) =>
          html`<tr><td>${m.id}</td><td>${picture(m, 160)}</td><td>${m.alt || html`<em>missing</em>`}</td><td>${m.caption}</td><td>${m.credit}</td><td>${m.width}×${m.height}</td><td>${when(m.createdAt)}</td><td><a href="/newsroom/media/${m.id}">Edit<span class="visually-hidden"> image ${m.id}</span></a></td></tr>`,
      )}</tbody></table>`
}
<p>${result.total} image(s). Page ${result.page} of ${result.pageCount}.</p>
${
  result.pageCount > 1
    ? html`<nav aria-label="Pages"><p>${result.page > 1 ? html`<a href="/newsroom/media?page=${result.page - 1}">Newer</a>` : ''} ${result.page < result.pageCount ? html`<a href="/newsroom/media?page=${result.page + 1}">Older</a>` : ''}</p></nav>`
    : ''
}`;
}

/** One image: a preview, what it is, and the words articles show with it. */
/**
 * The Markdown that puts this image in an article body, to copy into the editor. Bodies
 * accept images from the library only (see articles/markdown.ts), at the 960-pixel JPEG,
 * which every reader and mail program shows.
 */
function bodySnippet(item: MediaItem): SafeHtml {
  const jpegs = item.variants.filter((x) => x.format === 'jpeg').sort((a, b) => a.width - b.width);
  const v = jpegs.find((x) => x.width >= 960) ?? jpegs.at(-1) ?? item.variants[0];
  if (!v) return html``;
  const alt = (item.alt || 'Describe the image').replace(/[[\]\\]/g, '');
  const title = [item.caption, item.credit].filter(Boolean).join(' — ').replace(/"/g, '”');
  const snippet = `![${alt}](/media/${v.file}${title ? ` "${title}"` : ''})`;
  return html`<p><label for="snippet">To put this image in an article's text, copy this line into the body:</label><br>
<input id="snippet" class="nr-secret" readonly size="70" value="${snippet}"></p>`;
}

export function mediaEditPage(
  item: MediaItem,
  o: { csrf: string; values?: MediaDetails; errors?: Record<string, string>; message?: string },
): SafeHtml {
  const v = o.values ?? { alt: item.alt, caption: item.caption, credit: item.credit };
  return html`<h1>Image ${item.id}</h1>
<p><a href="/newsroom/media">Back to the media library</a></p>
${o.message ? html`<p class="nr-error" role="alert">${o.message}</p>` : ''}
${picture(item, 480)}
<dl>
  <dt>File</dt><dd>${item.originalName || '(unnamed)'}</dd>
  <dt>Size</dt><dd>${item.width}×${item.height} pixels, ${Math.ceil(item.bytes / 1024)} KB uploaded</dd>
  <dt>Uploaded</dt><dd>${when(item.createdAt)}</dd>
  <dt>Variants</dt><dd>${item.variants.map((x, i) => html`${i > 0 ? ', ' : ''}<a href="/media/${x.file}">${x.width}px ${x.format}</a>`)}</dd>
</dl>
<p class="nr-hint">Articles show these words with the image unless the article gives its own.</p>
${bodySnippet(item)}
<form method="post" action="/newsroom/media/${item.id}" class="nr-form">
  ${csrfField(o.csrf)}
  ${detailFields(v, o.errors)}
  <button type="submit">Save</button>
</form>`;
}
