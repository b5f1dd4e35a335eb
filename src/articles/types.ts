import type { ArticleStatus } from '#db';
import type { MediaVariant } from './images.ts';

export type { ArticleStatus, MediaVariant };

export interface SectionRef {
  slug: string;
  name: string;
}

export interface Section extends SectionRef {
  id: number;
  description: string;
}

export interface TagRef {
  slug: string;
  name: string;
}

export interface AuthorRef {
  slug: string;
  name: string;
}

export interface Image {
  mediaId: number;
  width: number;
  height: number;
  alt: string;
  caption: string;
  credit: string;
  variants: MediaVariant[];
}

export interface Author extends AuthorRef {
  id: number;
  role: string;
  bio: string;
  photo: Image | null;
}

export interface ArticleSummary {
  id: number;
  slug: string;
  headline: string;
  standfirst: string;
  section: SectionRef | null;
  authors: AuthorRef[];
  lead: Image | null;
  publishedAt: string | null;
  updatedAt: string | null;
}

export interface Article extends ArticleSummary {
  status: ArticleStatus;
  language: string;
  bodyHtml: string;
  bodyText: string;
  bodyMarkdown: string;
  tags: TagRef[];
  authorsFull: Author[];
  modifiedAt: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageCount: number;
}
