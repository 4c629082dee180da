import { describe, expect, it } from 'vitest';
import { paginate } from '../../stack/cognito-pagination.js';

const names = (items: { name: string }[]) => items.map((item) => item.name);
const byName = (item: { name: string }) => item.name;
const ITEMS = ['delta', 'alpha', 'charlie', 'bravo', 'echo'].map((name) => ({ name }));

describe('paginate', () => {
  it('orders by key and hands out a token only while items remain', () => {
    // Act
    const first = paginate(ITEMS, byName, 2, undefined);
    const second = paginate(ITEMS, byName, 2, first.next);
    const third = paginate(ITEMS, byName, 2, second.next);
    // Assess
    expect([names(first.items), names(second.items), names(third.items)]).toEqual([
      ['alpha', 'bravo'],
      ['charlie', 'delta'],
      ['echo'],
    ]);
    expect(third.next).toBeUndefined();
  });

  it('returns up to 60 items when no limit (or 0) is given', () => {
    // Prepare
    const many = Array.from({ length: 61 }, (_, index) => ({ name: `g${String(index).padStart(2, '0')}` }));
    // Act
    const page = paginate(many, byName, undefined, undefined);
    const zero = paginate(many, byName, 0, undefined);
    // Assess
    expect(page.items).toHaveLength(60);
    expect(zero.items).toHaveLength(60);
    expect(names(paginate(many, byName, undefined, page.next).items)).toEqual(['g60']);
  });

  it('resumes after the last key handed out, so an item deleted in between shifts nothing', () => {
    // Prepare
    const first = paginate(ITEMS, byName, 2, undefined);
    const afterDeletingAlpha = ITEMS.filter((item) => item.name !== 'alpha');
    // Act
    const second = paginate(afterDeletingAlpha, byName, 2, first.next);
    // Assess
    expect(names(second.items)).toEqual(['charlie', 'delta']);
  });

  it.each([61, -1, 1.5, '2'])('refuses the limit %s with InvalidParameterException', (limit) => {
    // Act
    const attempt = () => paginate(ITEMS, byName, limit, undefined);
    // Assess
    expect(attempt).toThrow(expect.objectContaining({ type: 'InvalidParameterException' }));
  });

  it('refuses a token it did not hand out with InvalidParameterException', () => {
    // Act
    const attempt = () => paginate(ITEMS, byName, 2, 'bm90LWEtdG9rZW4');
    // Assess
    expect(attempt).toThrow(expect.objectContaining({ type: 'InvalidParameterException' }));
  });
});
