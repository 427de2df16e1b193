import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DOC_KINDS_BY_ORIGIN,
  ID_DOC_KIND_CODES,
  PERSON_ORIGIN_CODES,
  acceptedDocKinds,
  creditCodeCheck,
  normaliseDocNumber,
  originOfDocKind,
  docKindsFor,
  idDocumentProblem,
  residentIdCheck,
} from './id-documents.ts';
import type { IdDocKind } from './id-documents.ts';

/** GB 11643 / ISO 7064 MOD 11-2, written out independently: weight of position i is 2^(17-i) mod 11. */
function referenceResidentCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11);
  return '10X98765432'[sum % 11]!;
}

/** GB 32100-2015: 31 characters, weight of position i is 3^i mod 31, check = 31 − (Σ mod 31), 31 → 0. */
const USCC = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function referenceCreditCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC.indexOf(first17[i]!) * (3 ** i % 31);
  return USCC[(31 - (sum % 31)) % 31]!;
}

const RESIDENT_KINDS: IdDocKind[] = [
  'resident_id',
  'temporary_id',
  'passport_with_id',
  'household_register',
  'household_certificate',
];

/** 17 digits: region, a real birth date from 1900 to 2025, a sequence number. */
const residentBody = fc
  .record({
    region: fc.stringMatching(/^[1-9]\d{5}$/),
    birth: fc.date({
      min: new Date('1900-01-01T00:00:00Z'),
      max: new Date('2025-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
    seq: fc.stringMatching(/^\d{3}$/),
  })
  .map(({ region, birth, seq }) => `${region}${birth.toISOString().slice(0, 10).replace(/-/g, '')}${seq}`);

describe('resident ID numbers', () => {
  it('accepts known valid numbers', () => {
    // The specimen of the standard, and numbers whose check character was computed by hand above.
    for (const id of [
      '11010519491231002X',
      `99010119900307123${referenceResidentCheck('99010119900307123')}`,
    ]) {
      expect(idDocumentProblem('resident_id', id), id).toBeNull();
    }
    expect(residentIdCheck('11010519491231002')).toBe('X');
    expect(residentIdCheck('44030819990101001')).toBe(referenceResidentCheck('44030819990101001'));
    expect(idDocumentProblem('resident_id', '11010519491231002x')).toBeNull();
  });

  it('computes the check character as the standard does, for any number', () => {
    fc.assert(
      fc.property(residentBody, (body) => {
        expect(residentIdCheck(body)).toBe(referenceResidentCheck(body));
      }),
    );
  });

  it('accepts any number with its check character and refuses every other last character', () => {
    fc.assert(
      fc.property(residentBody, fc.constantFrom(...RESIDENT_KINDS), (body, kind) => {
        const check = referenceResidentCheck(body);
        expect(idDocumentProblem(kind, body + check)).toBeNull();
        for (const other of '0123456789X') {
          if (other === check) continue;
          expect(idDocumentProblem(kind, body + other)).toEqual({
            zh: '身份证号码校验位错误',
            en: 'The ID number check digit is wrong',
          });
        }
      }),
    );
  });

  it('refuses a number of the wrong length or with letters', () => {
    for (const n of [
      '',
      '1101051949123100',
      '11010519491231002XX',
      '1101051949123100AX',
      '11010519491231002Y',
    ]) {
      expect(idDocumentProblem('resident_id', n)?.en, n).toBe('An ID number has 18 characters');
    }
  });

  it('refuses an impossible birth date, whatever the check character', () => {
    const withCheck = (body: string) => body + referenceResidentCheck(body);
    for (const birth of [
      '19900229',
      '19000229',
      '18991231',
      '19901301',
      '19900001',
      '19900431',
      '19900100',
    ]) {
      expect(idDocumentProblem('resident_id', withCheck(`990101${birth}123`))?.en, birth).toBe(
        'The birth date in the ID number is invalid',
      );
    }
    for (const birth of ['20000229', '19000101', '19960229', '20251231']) {
      expect(idDocumentProblem('resident_id', withCheck(`990101${birth}123`)), birth).toBeNull();
    }
  });

  it('refuses a birth date after today when today is given, and accepts today itself', () => {
    const withCheck = (body: string) => body + referenceResidentCheck(body);
    const today = '2026-03-02';
    expect(idDocumentProblem('resident_id', withCheck('99010120260302123'), today)).toBeNull();
    expect(idDocumentProblem('resident_id', withCheck('99010120260303123'), today)?.en).toBe(
      'The birth date in the ID number is invalid',
    );
    expect(idDocumentProblem('resident_id', withCheck('99010120300101123'), today)).not.toBeNull();
    // Without today only the calendar is checked.
    expect(idDocumentProblem('resident_id', withCheck('99010120300101123'))).toBeNull();
  });
});

describe('unified social credit codes (GB 32100)', () => {
  it('accepts the published example and refuses it with another check character', () => {
    expect(creditCodeCheck('91350100M000100Y4')).toBe('3');
    expect(idDocumentProblem('business_licence', '91350100M000100Y43')).toBeNull();
    expect(idDocumentProblem('business_licence', '91350100m000100y43')).toBeNull();
    expect(idDocumentProblem('business_licence', '91350100M000100Y44')?.en).toBe(
      'The credit code check character is wrong',
    );
  });

  it('computes the check character as the standard does, and only it passes', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...USCC), { minLength: 17, maxLength: 17 }), (chars) => {
        const body = chars.join('');
        const check = referenceCreditCheck(body);
        expect(creditCodeCheck(body)).toBe(check);
        expect(idDocumentProblem('business_licence', body + check)).toBeNull();
        const wrong = USCC[(USCC.indexOf(check) + 1) % 31]!;
        expect(idDocumentProblem('business_licence', body + wrong)).not.toBeNull();
      }),
    );
  });

  it('refuses the letters the standard leaves out (I, O, S, V, Z) and a wrong length', () => {
    expect(creditCodeCheck('91350100M000100I4')).toBeNull();
    for (const letter of 'IOSVZ') {
      expect(idDocumentProblem('business_licence', `91350100M00010${letter}Y43`)?.en, letter).toBe(
        'A credit code has 18 characters',
      );
    }
    expect(idDocumentProblem('business_licence', '91350100M000100Y4')).not.toBeNull();
  });
});

describe('other documents', () => {
  it.each<[IdDocKind, string, boolean]>([
    ['passport', 'E12345678', true],
    ['passport', 'G1234', true],
    ['passport', 'E123', false],
    ['passport', 'E-12345678', true],
    ['passport', 'E_12345678', false],
    ['hk_macao_pass', 'C01234567', true],
    ['hk_macao_pass', 'D01234567', false],
    ['home_return_permit', 'H12345678', true],
    ['home_return_permit', 'M1234567890', true],
    ['home_return_permit', 'X12345678', false],
    ['hk_macao_id', 'A123456(7)', true],
    ['hk_macao_id', 'AB123456A', true],
    ['hk_macao_id', '1234567(8)', true],
    ['hk_macao_id', '123', false],
    ['taiwan_permit', '12345678', true],
    ['taiwan_permit', '1234567890', true],
    ['taiwan_permit', '123456789', false],
    ['soldier_id', '陆字第123456号', true],
    ['police_id', '12345', false],
  ])('%s %s valid: %s', (kind, number, valid) => {
    expect(idDocumentProblem(kind, number) === null).toBe(valid);
  });
});

describe('which documents fit which customer', () => {
  it('a group identifies by its business licence only; people by every personal document', () => {
    expect(docKindsFor('group')).toEqual(['business_licence']);
    for (const kind of ['individual', 'family'] as const) {
      const kinds = docKindsFor(kind);
      expect(kinds).not.toContain('business_licence');
      expect(kinds).toHaveLength(ID_DOC_KIND_CODES.length - 1);
      expect(kinds).toEqual(expect.arrayContaining([...RESIDENT_KINDS, 'passport', 'taiwan_permit']));
    }
  });
});

describe('what a clerk types', () => {
  it.each([
    ['１１０１０５１９４９１２３１００２Ｘ', '11010519491231002X'],
    ['110105 19491231 002x', '11010519491231002X'],
    ['110105-19491231-002X', '11010519491231002X'],
    ['110105－19491231—002X', '11010519491231002X'],
    ['\u3000110105\u00a019491231002X\t', '11010519491231002X'],
    ['ａ１２３４５６（７）', 'A123456(7)'],
    ['e 1234 5678', 'E12345678'],
    ['陆字第１２３４５６号', '陆字第123456号'],
  ])('%j is %j', (typed, normal) => {
    expect(normaliseDocNumber(typed)).toBe(normal);
  });

  it('is not refused for its full-width characters, spaces or hyphens, and keeps its real problems', () => {
    expect(idDocumentProblem('resident_id', '１１０１０５　１９４９１２３１　００２ｘ')).toBeNull();
    expect(idDocumentProblem('resident_id', '110105-1949-1231-002X')).toBeNull();
    expect(idDocumentProblem('business_licence', '9135 0100 M000 100Y 43')).toBeNull();
    expect(idDocumentProblem('hk_macao_id', 'Ａ１２３４５６（７）')).toBeNull();
    expect(idDocumentProblem('resident_id', '１１０１０５１９４９１２３１００２１')?.en).toBe(
      'The ID number check digit is wrong',
    );
  });
});

describe('documents by origin, as the norms list them (2§2.2.1)', () => {
  it('lists each origin’s documents and nothing of a group', () => {
    expect(DOC_KINDS_BY_ORIGIN.taiwan).toEqual(['taiwan_permit', 'passport']);
    expect(DOC_KINDS_BY_ORIGIN.foreign).toEqual(['passport']);
    expect(DOC_KINDS_BY_ORIGIN.mainland).toEqual(RESIDENT_KINDS);
    for (const o of PERSON_ORIGIN_CODES) expect(DOC_KINDS_BY_ORIGIN[o]).not.toContain('business_licence');
    // Every personal document belongs to at least one origin.
    const listed = new Set(PERSON_ORIGIN_CODES.flatMap((o) => DOC_KINDS_BY_ORIGIN[o]));
    expect([...listed].sort()).toEqual(docKindsFor('individual').sort());
  });

  it('tells the origin of a document when only one origin shows it', () => {
    expect(originOfDocKind('resident_id')).toBe('mainland');
    expect(originOfDocKind('taiwan_permit')).toBe('taiwan');
    expect(originOfDocKind('police_id')).toBe('military');
    expect(originOfDocKind('passport')).toBeNull();
    expect(originOfDocKind('business_licence')).toBeNull();
  });

  it('accepts by origin, every personal document when the origin is unknown, the licence for a group', () => {
    expect(acceptedDocKinds('individual', 'hk_macao')).toEqual(DOC_KINDS_BY_ORIGIN.hk_macao);
    expect(acceptedDocKinds('family', 'military')).toEqual(['soldier_id', 'garrison_id', 'police_id']);
    expect(acceptedDocKinds('individual')).toEqual(docKindsFor('individual'));
    expect(acceptedDocKinds('group', 'mainland')).toEqual(['business_licence']);
  });
});
