/**
 * The demo publication's privacy policy, published by the demo seed so the signup forms
 * link to a real page. It describes what Masthead itself stores; a newsroom that adds
 * services of its own must say so in its own policy.
 */
export const demoPrivacyPolicy = `This policy says what we keep about you, why, and for how long. We keep as little as we can.

## Reading

You can read everything here without an account. Our pages load nothing from other companies: no advertising, no analytics, no tracking pixels, no fonts or scripts from elsewhere. Your browser talks only to us.

We set one cookie, and only if you interact with our request for support: it remembers that you gave, asked us to remind you later, or how many of our appeals you have seen this month. It holds no identifier and expires after 30 days (a year after you give). If you sign in to manage your support, a second cookie keeps that session for 30 minutes.

## The newsletter

If you sign up, we keep your email address, the time you agreed to this policy and its version, where you signed up, and when you confirmed or unsubscribed. We use the address only to send the newsletter and messages about your subscription. We do not track whether you open our emails or click their links. If a message bounces or is reported as spam, we note that and stop sending.

Every newsletter has a link to manage your subscription, see the data we hold about you, unsubscribe, or have your address erased.

## Support

When you give, the payment is handled by our payment provider. It receives your card or bank details; we never see them. We keep your email address, the amounts and dates of your payments, and the state of any monthly or annual support, so that we can send receipts and statements and keep our accounts. We do not keep your name, postal address or network address.

If you ask to be reminded later, we keep your address until the month you chose, send one message, and then delete it.

You can ask for a sign-in link on our support page to change or cancel your support, get a statement, or have your address forgotten once nothing recurs. Amounts and dates stay in our accounts, without your address.

## Abuse protection

To stop spam signups and card testing we count attempts per network for a few hours. We store a keyed hash of the network address, never the address itself, and delete it within a day.

## Who sees your data

Our staff, the company that delivers our email, and, for payments, our payment provider. Nobody else. We do not sell or share your data.

## Questions

If you have a question about your data, write to us and we will answer.
`;
