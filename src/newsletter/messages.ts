import type { MailMessage } from '#mail';
import type { Settings } from '#settings';

/** The double opt-in mail: one link, valid 48 hours; plain text so it reads everywhere. */
export function confirmationMessage(settings: Settings, to: string, token: string): MailMessage {
  const link = `${settings.baseUrl}/newsletter/confirm/${token}`;
  return {
    to,
    subject: `Confirm your subscription to ${settings.name}`,
    text: [
      `Someone, probably you, asked to receive the weekly newsletter of ${settings.name} at this address.`,
      '',
      'To confirm, open this link within 48 hours:',
      link,
      '',
      'If it was not you, ignore this message: nothing will be sent, and the address will be forgotten within 7 days.',
    ].join('\n'),
    category: 'newsletter.confirmation',
  };
}
