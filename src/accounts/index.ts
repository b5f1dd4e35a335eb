export * from './service.ts';
export { can, canAssignRole, requiresTwoFactor, ROLES, type Action, type Ownership, type StaffRole } from './roles.ts';
export { SESSION_IDLE_MS, SESSION_ABSOLUTE_MS } from './sessions.ts';
export {
  inviteStaff,
  peekInvitation,
  acceptInvitation,
  requestPasswordReset,
  resetLinkIsUsable,
  resetPassword,
  INVITE_TTL_MS,
  RESET_TTL_MS,
} from './invitations.ts';
export { totpQrSvg } from './totp.ts';
