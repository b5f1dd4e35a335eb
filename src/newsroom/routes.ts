import { accountRoutes } from './account-routes.ts';
import { articleRoutes } from './article-routes.ts';
import { authRoutes } from './auth-routes.ts';
import type { RouteSpec } from './framework.ts';
import { audienceRoutes } from './audience-routes.ts';
import { revenueRoutes } from './revenue-routes.ts';
import { editionRoutes } from './edition-routes.ts';
import { deliveryRoutes } from './delivery-routes.ts';
import { mediaRoutes } from './media-routes.ts';
import { outboxRoutes } from './outbox-routes.ts';
import { settingsRoutes } from './settings-routes.ts';
import { staffRoutes } from './staff-routes.ts';
import { supportRoutes } from './support-routes.ts';

/**
 * Every newsroom route in one table. Access and permission checks come from each entry, and
 * the role × route × object test walks this list, so a new route cannot skip either.
 */
export const newsroomRoutes: readonly RouteSpec[] = [
  ...authRoutes,
  ...accountRoutes,
  ...staffRoutes,
  ...articleRoutes,
  ...mediaRoutes,
  ...settingsRoutes,
  ...outboxRoutes,
  ...audienceRoutes,
  ...revenueRoutes,
  ...editionRoutes,
  ...deliveryRoutes,
  ...supportRoutes,
];
