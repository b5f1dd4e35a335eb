export * from './service.ts';
export { can, canAssignRole, requiresTwoFactor, ROLES, type Action, type Ownership, type StaffRole } from './roles.ts';
export { SESSION_IDLE_MS, SESSION_ABSOLUTE_MS } from './sessions.ts';
