import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultAppealSettings } from './appeal-settings.ts';
import { parseCheckoutForm } from './checkout.ts';

const settings = defaultAppealSettings('The Meridian Dispatch');

test('a typed amount wins over the picked suggestion (the form without JavaScript)', () => {
  const choice = parseCheckoutForm(settings, { frequency: 'once', currency: 'USD', amount: '2500', otherAmount: '7' });
  assert.deepEqual(choice, { frequency: 'once', currency: 'USD', amount: 700 });
  const comma = parseCheckoutForm(settings, {
    frequency: 'month',
    currency: 'USD',
    amount: '500',
    otherAmount: '7,50',
  });
  assert.equal(comma.amount, 750);
});

test('an empty other-amount box leaves the picked suggestion', () => {
  const choice = parseCheckoutForm(settings, { frequency: 'once', currency: 'USD', amount: '2500', otherAmount: '  ' });
  assert.equal(choice.amount, 2500);
});
