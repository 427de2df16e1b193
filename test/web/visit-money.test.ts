import { describe, expect, it } from 'vitest';
import { yuan, yuanToFen } from '../../web/src/modules/visits/money.ts';

describe('yuan typed by a clerk', () => {
  it.each([
    ['12', 1200],
    ['12.5', 1250],
    ['0.05', 5],
    [' 3.10 ', 310],
    ['１２．３', 1230],
    ['-2.5', -250],
    [99, 9900],
  ])('%s → %i fen', (text, fen) => expect(yuanToFen(text)).toBe(fen));
  it.each(['', 'abc', '1.234', '1,5', '.5'])('refuses %j', (text) => expect(yuanToFen(text)).toBeNull());
  it('formats fen', () => expect(yuan(123456)).toBe('¥1234.56'));
});
