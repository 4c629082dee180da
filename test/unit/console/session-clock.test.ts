import { describe, expect, it } from 'vitest';
import {
  describeRemaining,
  MIN_REFRESH_DELAY_MS,
  REFRESH_LEAD_SECONDS,
  refreshDelayMs,
} from '../../../console/src/session-clock.js';

const NOW_MS = 1_800_000_000_000;
const NOW = NOW_MS / 1000;

describe('when the console renews a session', () => {
  it('renews an hour-long session a minute before it ends', () => {
    expect(refreshDelayMs(NOW + 3600, NOW_MS)).toBe((3600 - REFRESH_LEAD_SECONDS) * 1000);
  });

  it('renews a short session halfway through', () => {
    expect(refreshDelayMs(NOW + 40, NOW_MS)).toBe(20_000);
  });

  it('never renews sooner than the minimum delay, even for a session that has already ended', () => {
    expect(refreshDelayMs(NOW + 2, NOW_MS)).toBe(MIN_REFRESH_DELAY_MS);
    expect(refreshDelayMs(NOW - 100, NOW_MS)).toBe(MIN_REFRESH_DELAY_MS);
  });
});

describe('how the console says when a session ends', () => {
  it.each([
    [NOW + 3600 * 2 + 60 * 5, 'in 2 h 5 min'],
    [NOW + 3599, 'in 59 min'],
    [NOW + 45, 'in 45 s'],
    [NOW, 'ended'],
    [NOW - 10, 'ended'],
  ])('expiry %d reads "%s"', (expiresAt, text) => {
    expect(describeRemaining(expiresAt, NOW_MS)).toBe(text);
  });
});
