import { sameOriginGuard } from '../origin.ts';

/**
 * Support forms follow the same rule as the newsletter's (src/site/origin.ts). The manage
 * pages also ride on a SameSite=Strict cookie, which other sites' forms never carry.
 */
export const assertSameOrigin = sameOriginGuard('SUPPORT_FOREIGN_ORIGIN');
