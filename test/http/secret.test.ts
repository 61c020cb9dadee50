import { describe, expect, it } from 'vitest';
import { sameSecret } from '../../src/http/secret.js';

describe('sameSecret', () => {
  it.each([
    ['a-secret-of-16-chars', true],
    ['a-secret-of-16-charz', false],
    ['a-secret', false],
    ['a-secret-of-16-chars-and-more', false],
    ['', false],
    [undefined, false],
    [['a-secret-of-16-chars'], false],
  ])('compares %o with the configured secret: %s', (sent, same) => {
    expect(sameSecret(sent, 'a-secret-of-16-chars')).toBe(same);
  });
});
