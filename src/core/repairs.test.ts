import { describe, expect, it } from 'vitest';
import type { RepairStatus, RepairTarget } from './repairs.ts';
import { REPAIR_ORDER, repairStep, spareReturn } from './repairs.ts';

const TARGETS: RepairTarget[] = ['sent', 'returned', 'collected'];
const NO_SPARE = { lent: false, returned: false };

describe('repairStep', () => {
  // Every status × every target: only the next one in the order is allowed.
  const table: [RepairStatus, RepairTarget, boolean][] = [
    ['received', 'sent', true],
    ['received', 'returned', false],
    ['received', 'collected', false],
    ['sent', 'sent', false],
    ['sent', 'returned', true],
    ['sent', 'collected', false],
    ['returned', 'sent', false],
    ['returned', 'returned', false],
    ['returned', 'collected', true],
    ['collected', 'sent', false],
    ['collected', 'returned', false],
    ['collected', 'collected', false],
  ];
  it.each(table)('%s → %s allowed: %s', (from, to, ok) => {
    const v = repairStep(from, to, NO_SPARE);
    expect(v.ok).toBe(ok);
    if (!v.ok) {
      expect(v.code).toBe('wrong_step');
      expect(v.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(v.en).toMatch(/^[\x20-\x7e]+$/);
    }
  });
  it('covers every pair', () => {
    expect(table.length).toBe(REPAIR_ORDER.length * TARGETS.length);
  });
  it.each([
    [{ lent: true, returned: false }, false],
    [{ lent: true, returned: true }, true],
    [{ lent: false, returned: false }, true],
  ])('collecting with spare %j allowed: %s', (spare, ok) => {
    const v = repairStep('returned', 'collected', spare);
    expect(v.ok).toBe(ok);
    if (!v.ok) expect(v.code).toBe('spare_not_returned');
  });
  it('a spare still out does not hold up the earlier steps', () => {
    expect(repairStep('received', 'sent', { lent: true, returned: false }).ok).toBe(true);
    expect(repairStep('sent', 'returned', { lent: true, returned: false }).ok).toBe(true);
  });
});

describe('spareReturn', () => {
  it.each([
    ['received', { lent: true, returned: false }, true],
    ['returned', { lent: true, returned: false }, true],
    ['sent', { lent: false, returned: false }, false],
    ['sent', { lent: true, returned: true }, false],
    ['collected', { lent: true, returned: false }, false],
  ] as const)('%s with %j allowed: %s', (status, spare, ok) => {
    expect(spareReturn(status, spare).ok).toBe(ok);
  });
});
