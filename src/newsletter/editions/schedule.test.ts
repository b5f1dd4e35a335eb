import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeLocal, fromLocalInput, localDate, nextFridayNine, toLocalInput, zonedTimeToUtc } from './schedule.ts';

const at = (iso: string) => new Date(iso);

describe('Friday 09:00 in the publication time zone', () => {
  test('UTC: the same Friday before nine, the next one from nine on', () => {
    assert.equal(nextFridayNine(at('2026-11-27T08:59:00Z'), 'UTC').toISOString(), '2026-11-27T09:00:00.000Z');
    assert.equal(nextFridayNine(at('2026-11-27T09:00:00Z'), 'UTC').toISOString(), '2026-12-04T09:00:00.000Z');
    assert.equal(nextFridayNine(at('2026-11-28T10:00:00Z'), 'UTC').toISOString(), '2026-12-04T09:00:00.000Z');
  });

  test('New York across the spring change: 14:00 UTC in winter, 13:00 UTC in summer', () => {
    // Daylight saving time starts on Sunday 8 March 2026.
    assert.equal(
      nextFridayNine(at('2026-03-06T13:59:00Z'), 'America/New_York').toISOString(),
      '2026-03-06T14:00:00.000Z',
    );
    assert.equal(
      nextFridayNine(at('2026-03-06T14:00:00Z'), 'America/New_York').toISOString(),
      '2026-03-13T13:00:00.000Z',
    );
  });

  test('Riga in the week the clocks go forward, and London in the week they go back', () => {
    // EET → EEST on Sunday 29 March 2026; GMT ← BST on Sunday 25 October 2026.
    assert.equal(nextFridayNine(at('2026-03-27T07:00:00Z'), 'Europe/Riga').toISOString(), '2026-04-03T06:00:00.000Z');
    assert.equal(nextFridayNine(at('2026-03-26T12:00:00Z'), 'Europe/Riga').toISOString(), '2026-03-27T07:00:00.000Z');
    assert.equal(nextFridayNine(at('2026-10-23T08:30:00Z'), 'Europe/London').toISOString(), '2026-10-30T09:00:00.000Z');
    assert.equal(nextFridayNine(at('2026-10-22T08:30:00Z'), 'Europe/London').toISOString(), '2026-10-23T08:00:00.000Z');
  });

  test('zones with half-hour offsets and across the date line', () => {
    assert.equal(nextFridayNine(at('2026-11-26T00:00:00Z'), 'Asia/Kolkata').toISOString(), '2026-11-27T03:30:00.000Z');
    // Thursday 20:00 UTC is already Friday 10:00 on Kiritimati (UTC+14): the next Friday is a week on.
    assert.equal(
      nextFridayNine(at('2026-11-26T20:00:00Z'), 'Pacific/Kiritimati').toISOString(),
      '2026-12-03T19:00:00.000Z',
    );
  });

  test('the result is always a Friday 09:00 local, for a year of starting points', () => {
    for (const tz of ['Europe/Riga', 'America/Los_Angeles', 'Australia/Sydney', 'UTC']) {
      for (let d = 0; d < 370; d += 3) {
        const from = new Date(Date.UTC(2026, 0, 1) + d * 86_400_000 + d * 3_600_000);
        const next = nextFridayNine(from, tz);
        assert.ok(next > from);
        assert.ok(next.getTime() - from.getTime() <= 7 * 86_400_000 + 3_600_000, `${tz} ${from.toISOString()}`);
        assert.match(describeLocal(next, tz), /^Fri .* 09:00 /);
      }
    }
  });
});

describe('local date and time inputs', () => {
  test('round trip through datetime-local in a zone', () => {
    const t = at('2026-07-03T06:00:00Z');
    assert.equal(toLocalInput(t, 'Europe/Riga'), '2026-07-03T09:00');
    assert.equal(fromLocalInput('2026-07-03T09:00', 'Europe/Riga')?.toISOString(), t.toISOString());
    assert.equal(localDate(at('2026-11-26T20:00:00Z'), 'Pacific/Kiritimati'), '2026-11-27');
  });

  test('nonsense is refused', () => {
    for (const bad of [
      '',
      'tomorrow',
      '2026-02-30T09:00',
      '2026-13-01T09:00',
      '2026-01-01T24:00',
      '2026-01-01 09:00:00Z',
      '1999-01-01T09:00',
    ]) {
      assert.equal(fromLocalInput(bad, 'UTC'), null, bad);
    }
  });

  test('a time skipped by the spring change lands after the gap; an ambiguous one takes the earlier reading', () => {
    const skipped = zonedTimeToUtc({ year: 2026, month: 3, day: 29, hour: 3, minute: 30 }, 'Europe/Riga');
    assert.equal(skipped.toISOString(), '2026-03-29T01:30:00.000Z');
    const ambiguous = zonedTimeToUtc({ year: 2026, month: 10, day: 25, hour: 3, minute: 30 }, 'Europe/Riga');
    assert.equal(ambiguous.toISOString(), '2026-10-25T00:30:00.000Z');
  });
});
