import { describe, expect, it } from 'vitest';
import { matchSends } from './crash-harness.js';

describe('matchSends, the judge of the kill test', () => {
  it('counts nothing wrong when every send arrives once, in order', () => {
    expect(matchSends(['a', 'b', 'c'], ['a', 'b', 'c'])).toEqual({
      matched: 3,
      lost: 0,
      duplicated: 0,
      unexpected: 0,
    });
  });

  it('counts resends after a restart as duplicates, not as disorder', () => {
    expect(matchSends(['a', 'b', 'c'], ['a', 'b', 'a', 'b', 'c', 'c'])).toEqual({
      matched: 3,
      lost: 0,
      duplicated: 3,
      unexpected: 0,
    });
  });

  it('counts sends that never arrived as lost, wherever they are missing', () => {
    expect(matchSends(['a', 'b', 'c', 'd'], ['a', 'c'])).toEqual({
      matched: 2,
      lost: 2,
      duplicated: 0,
      unexpected: 0,
    });
    expect(matchSends(['a', 'b'], [])).toMatchObject({ lost: 2 });
  });

  it('counts a send that arrives after a later one, or one never expected, as unexpected', () => {
    // 'a' arrives late: answered, so not lost, but out of order; its repeat is a duplicate
    expect(matchSends(['a', 'b', 'c'], ['b', 'a', 'c', 'a'])).toEqual({
      matched: 2,
      lost: 0,
      duplicated: 1,
      unexpected: 1,
    });
    expect(matchSends(['a'], ['a', 'z'])).toEqual({ matched: 1, lost: 0, duplicated: 0, unexpected: 1 });
  });
});
