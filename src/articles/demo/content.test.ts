import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { demoArticles, demoAuthors, demoPublication, demoSections } from './content.ts';
import { renderDemoImage, renderDemoPortrait } from './images.ts';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

test('demo publication has basic settings', () => {
  assert.equal(demoPublication.language, 'en');
  assert.equal(demoPublication.timeZone, 'Europe/Riga');
  assert.ok(demoPublication.name.length > 0);
});

test('demo content has enough articles, sections and authors', () => {
  assert.ok(demoArticles.length >= 12, `expected >= 12 articles, got ${demoArticles.length}`);
  assert.ok(demoSections.length >= 3 && demoSections.length <= 4, `expected 3-4 sections, got ${demoSections.length}`);
  assert.ok(demoAuthors.length >= 3, `expected >= 3 authors, got ${demoAuthors.length}`);
});

test('slugs are unique and kebab-case', () => {
  for (const [kind, slugs] of [
    ['article', demoArticles.map((a) => a.slug)],
    ['section', demoSections.map((s) => s.slug)],
    ['author', demoAuthors.map((a) => a.slug)],
  ] as const) {
    assert.equal(new Set(slugs).size, slugs.length, `duplicate ${kind} slug`);
    for (const slug of slugs) assert.match(slug, SLUG, `bad ${kind} slug: ${slug}`);
  }
});

test('articles reference existing sections and authors', () => {
  const sections = new Set(demoSections.map((s) => s.slug));
  const authors = new Set(demoAuthors.map((a) => a.slug));
  for (const article of demoArticles) {
    assert.ok(sections.has(article.section), `${article.slug}: unknown section ${article.section}`);
    assert.ok(article.authors.length >= 1 && article.authors.length <= 2, `${article.slug}: 1-2 authors`);
    for (const author of article.authors) assert.ok(authors.has(author), `${article.slug}: unknown author ${author}`);
  }
  // every section and every author is actually used
  for (const s of sections)
    assert.ok(
      demoArticles.some((a) => a.section === s),
      `section ${s} unused`,
    );
  for (const a of authors)
    assert.ok(
      demoArticles.some((x) => x.authors.includes(a)),
      `author ${a} unused`,
    );
});

test('article bodies have a blockquote and images are fully described', () => {
  for (const article of demoArticles) {
    assert.ok(/^> \S/m.test(article.body), `${article.slug}: no blockquote line`);
    assert.ok(article.headline.trim() && article.standfirst.trim(), `${article.slug}: missing headline/standfirst`);
    assert.ok(article.tags.length >= 1, `${article.slug}: no tags`);
    const { image } = article;
    assert.ok(image.alt.trim(), `${article.slug}: missing alt`);
    assert.ok(image.caption.trim(), `${article.slug}: missing caption`);
    assert.ok(image.credit.trim(), `${article.slug}: missing credit`);
    for (const colour of image.palette) assert.match(colour, /^#[0-9a-f]{6}$/i);
  }
});

test('publication times are distinct and updates come after publication', () => {
  const hours = demoArticles.map((a) => a.publishedHoursAgo);
  assert.equal(new Set(hours).size, hours.length, 'publishedHoursAgo must be distinct');
  for (const a of demoArticles) {
    assert.ok(a.publishedHoursAgo > 0);
    if (a.updatedHoursAgo !== undefined)
      assert.ok(a.updatedHoursAgo < a.publishedHoursAgo, `${a.slug}: update before publication`);
  }
});

test('renderDemoImage produces a JPEG of the requested size', async () => {
  const buf = await renderDemoImage(demoArticles[0]!.image, 320, 180);
  assert.ok(Buffer.isBuffer(buf));
  const meta = await sharp(buf).metadata();
  assert.equal(meta.format, 'jpeg');
  assert.equal(meta.width, 320);
  assert.equal(meta.height, 180);
});

test('renderDemoImage copes with every motif and hostile palette values', async () => {
  for (const motif of ['skyline', 'waves', 'grid', 'circles', 'mountains', 'bars'] as const) {
    const meta = await sharp(await renderDemoImage({ motif, palette: ['#123456', '"/><script>'] }, 64, 36)).metadata();
    assert.equal(meta.format, 'jpeg');
  }
});

test('renderDemoPortrait produces a square JPEG and escapes initials', async () => {
  const buf = await renderDemoPortrait(demoAuthors[0]!.palette, '<&>', 96);
  const meta = await sharp(buf).metadata();
  assert.equal(meta.format, 'jpeg');
  assert.equal(meta.width, 96);
  assert.equal(meta.height, 96);
});
