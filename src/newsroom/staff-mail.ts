import type { FastifyInstance } from 'fastify';
import { theName } from '#lib/words.ts';
import { getSettings } from '#settings';

/** Emails to staff: invitations and password resets. Plain text, one link each. */
export async function sendInvitation(
  app: FastifyInstance,
  to: string,
  token: string,
  role: string,
  inviter: string,
): Promise<void> {
  const s = await getSettings(app.masthead.settings);
  const link = `${s.baseUrl}/newsroom/invite/${token}`;
  await app.masthead.mail.mailer.send({
    to,
    subject: `You are invited to ${theName(s.name)} newsroom`,
    text: `${inviter} has invited you to join ${theName(s.name)} newsroom as ${role}.\n\nCreate your account here (the link works once and expires in 72 hours):\n${link}\n\nIf you did not expect this, ignore this email.\n`,
    category: 'staff.invitation',
  });
}

export async function sendPasswordReset(app: FastifyInstance, to: string, token: string): Promise<void> {
  const s = await getSettings(app.masthead.settings);
  const link = `${s.baseUrl}/newsroom/reset/${token}`;
  await app.masthead.mail.mailer.send({
    to,
    subject: `Reset your ${s.name} newsroom password`,
    text: `Someone asked to reset the password of your ${s.name} newsroom account.\n\nChoose a new password here (the link works once and expires in 30 minutes):\n${link}\n\nYou will still need your two-factor code to sign in. If you did not ask for this, ignore this email; your password stays as it is.\n`,
    category: 'staff.password_reset',
  });
}
