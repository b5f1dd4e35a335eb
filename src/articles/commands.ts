import { z } from 'zod';
import { SLUG_PATTERN } from '#lib/slug.ts';

const text = (max: number) => z.string().trim().max(max);

/** What a caller may write when creating or replacing an article. */
export const articleInput = z.object({
  slug: z.string().trim().max(120).regex(SLUG_PATTERN, 'Use lowercase letters, digits and hyphens').optional(),
  headline: text(300).min(1, 'A headline is required'),
  standfirst: text(1000).default(''),
  bodyMarkdown: z.string().max(500_000).default(''),
  sectionSlug: z.string().max(120).nullable().default(null),
  tags: z.array(text(80).min(1)).max(30).default([]),
  authorSlugs: z.array(z.string().max(120)).max(10).default([]),
  language: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'A language tag such as en or en-GB')
    .default('en'),
  lead: z
    .object({
      mediaId: z.number().int().positive(),
      alt: text(500).default(''),
      caption: text(1000).default(''),
      credit: text(300).default(''),
    })
    .nullable()
    .default(null),
  status: z.enum(['draft', 'scheduled', 'published', 'unpublished']).default('draft'),
  publishedAt: z.date().nullable().default(null),
  updatedAt: z.date().nullable().default(null),
});

export type ArticleInput = z.input<typeof articleInput>;
export type ArticleData = z.output<typeof articleInput>;
