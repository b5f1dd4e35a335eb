import { initial } from './0001-initial.ts';
import { jobs } from './0002-jobs.ts';
import { accounts } from './0003-accounts.ts';
import { mail } from './0004-mail.ts';
import { privacyPolicies } from './0005-privacy-policies.ts';
import { revisions } from './0006-revisions.ts';
import { newsletter } from './0007-newsletter.ts';
import { editions } from './0008-editions.ts';
import { support } from './0009-support.ts';
import { mediaOwner } from './0010-media-owner.ts';
import { supportRejections } from './0011-support-rejections.ts';
import type { Migration } from './types.ts';

/** Every migration, oldest first. Append only: ids are recorded in the database. */
export const migrations: readonly Migration[] = [
  initial,
  jobs,
  accounts,
  mail,
  privacyPolicies,
  revisions,
  newsletter,
  editions,
  support,
  mediaOwner,
  supportRejections,
];
