import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Candidate } from './assignment.ts';
import { pickAssignee } from './assignment.ts';

const c = (id: string, load = 0): Candidate => ({ id, load });

describe('pickAssignee', () => {
  it.each([
    ['nobody on duty', [], 'round_robin', null, null],
    ['round robin starts at the first', [c('b'), c('a')], 'round_robin', null, 'a'],
    ['round robin goes on after the last', [c('a'), c('b'), c('c')], 'round_robin', 'a', 'b'],
    ['round robin wraps', [c('a'), c('b'), c('c')], 'round_robin', 'c', 'a'],
    ['the last one left: the next after where they stood', [c('a'), c('c')], 'round_robin', 'b', 'c'],
    ['least loaded', [c('a', 3), c('b', 1), c('c', 2)], 'least_loaded', null, 'b'],
    ['least loaded ties take turns', [c('a', 1), c('b', 1), c('c', 4)], 'least_loaded', 'a', 'b'],
    ['least loaded ties wrap', [c('a', 1), c('b', 1), c('c', 4)], 'least_loaded', 'b', 'a'],
    [
      'least loaded ignores round robin when one is lighter',
      [c('a', 0), c('b', 2)],
      'least_loaded',
      'a',
      'a',
    ],
  ] as const)('%s', (_name, candidates, mode, last, expected) => {
    expect(pickAssignee(candidates, mode, last)).toBe(expected);
  });

  const members = fc.uniqueArray(
    fc.record({ id: fc.string({ minLength: 1, maxLength: 3 }), load: fc.nat(5) }),
    { selector: (m) => m.id, minLength: 1, maxLength: 8 },
  );

  it('always picks one of the candidates, whatever their order', () => {
    fc.assert(
      fc.property(
        members,
        fc.constantFrom('round_robin', 'least_loaded'),
        fc.option(fc.string()),
        (m, mode, last) => {
          const picked = pickAssignee(m, mode, last);
          expect(m.map((x) => x.id)).toContain(picked);
          expect(pickAssignee([...m].reverse(), mode, last)).toBe(picked);
        },
      ),
    );
  });

  it('least loaded never picks someone busier than another on duty', () => {
    fc.assert(
      fc.property(members, fc.option(fc.string()), (m, last) => {
        const picked = m.find((x) => x.id === pickAssignee(m, 'least_loaded', last))!;
        expect(picked.load).toBe(Math.min(...m.map((x) => x.load)));
      }),
    );
  });

  it('round robin gives each member one turn in every round', () => {
    fc.assert(
      fc.property(members, (m) => {
        let last: string | null = null;
        const got: string[] = [];
        for (let i = 0; i < m.length; i++) {
          last = pickAssignee(m, 'round_robin', last);
          got.push(last!);
        }
        expect(new Set(got).size).toBe(m.length);
      }),
    );
  });
});
