import type { StaffRole } from '#db';

export type { StaffRole };
export const ROLES: readonly StaffRole[] = ['owner', 'admin', 'editor', 'author', 'contributor'];

/** Everything a staff member may try to do in the newsroom. */
export type Action =
  | 'newsroom.view'
  | 'articles.create'
  | 'articles.edit'
  | 'articles.submit'
  | 'articles.publish'
  | 'media.upload'
  | 'media.edit'
  | 'staff.manage'
  | 'settings.manage'
  | 'audit.view'
  | 'supporters.view'
  | 'newsletter.compose'
  | 'audience.view'
  | 'revenue.view'
  | 'ledger.export';

/** Whose object an action touches: the actor's own, someone else's, or none. */
export type Ownership = 'own' | 'other' | 'none';

const RANK: Record<StaffRole, number> = { owner: 5, admin: 4, editor: 3, author: 2, contributor: 1 };

export function atLeast(role: StaffRole, min: StaffRole): boolean {
  return RANK[role] >= RANK[min];
}

/** Editors and above must use two-factor sign-in. */
export function requiresTwoFactor(role: StaffRole): boolean {
  return atLeast(role, 'editor');
}

/**
 * The newsroom's permission rules in one function. Contributors write and submit their own
 * drafts; authors also publish their own; editors publish anyone's and compose newsletters;
 * admins manage staff and settings; only owners and admins see supporters.
 */
export function can(role: StaffRole, action: Action, ownership: Ownership = 'none'): boolean {
  switch (action) {
    case 'newsroom.view':
    case 'articles.create':
    case 'media.upload':
      return true;
    case 'articles.edit':
    case 'articles.submit':
    case 'media.edit':
      return ownership === 'own' || atLeast(role, 'editor');
    case 'articles.publish':
      return atLeast(role, 'editor') || (role === 'author' && ownership === 'own');
    case 'newsletter.compose':
    case 'audience.view':
      return atLeast(role, 'editor');
    case 'ledger.export':
      return role === 'owner';
    case 'staff.manage':
    case 'settings.manage':
    case 'audit.view':
    case 'supporters.view':
    case 'revenue.view':
      return atLeast(role, 'admin');
  }
}

/** Who may give or take which role: admins manage everyone below owner; only owners touch admins and owners. */
export function canAssignRole(actor: StaffRole, target: StaffRole): boolean {
  return actor === 'owner' || (actor === 'admin' && RANK[target] < RANK.admin);
}
