import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { maskAddress, maskIdNumber, maskPhone, maskRecord, maskTypedName } from './masking.ts';

const visible = (masked: string) => [...masked].filter((c) => c !== '*').length;

describe('maskIdNumber', () => {
  it('keeps the first and last four of an 18-character ID number', () => {
    expect(maskIdNumber('110101199003071234')).toBe('1101**********1234');
    expect(maskIdNumber('11010519491231002X')).toBe('1101**********002X');
    expect(maskIdNumber('91350100M000100Y43')).toBe('9135**********0Y43');
  });

  it('hides short values but their last character(s)', () => {
    expect(maskIdNumber('')).toBe('');
    expect(maskIdNumber('7')).toBe('7');
    expect(maskIdNumber('1234')).toBe('***4');
    expect(maskIdNumber('12345')).toBe('1**45');
    expect(maskIdNumber('12345678')).toBe('1*****78');
  });

  it('hides most of a passport or Hong Kong ID number too', () => {
    expect(maskIdNumber('E12345678')).toBe('E1*****78');
    expect(maskIdNumber('A123456(7)')).toBe('A1******7)');
    expect(maskIdNumber('H123456789')).toBe('H1******89');
  });

  it('keeps the length, and never shows more than half of a number of 5 or more characters', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-Z()]{0,30}$/), (value) => {
        const masked = maskIdNumber(value);
        expect(masked).toHaveLength(value.length);
        if (value.length >= 5) expect(visible(masked)).toBeLessThanOrEqual(Math.ceil(value.length / 2));
        if (value.length > 0) expect(masked.at(-1)).toBe(value.at(-1));
        for (let i = 0; i < value.length; i++) if (masked[i] !== '*') expect(masked[i]).toBe(value[i]);
      }),
    );
  });
});

describe('maskPhone', () => {
  it('masks a mobile number as 138****1234', () => {
    expect(maskPhone('13800001234')).toBe('138****1234');
    expect(maskPhone('18600011234')).toBe('186****1234');
  });

  it('keeps the area code of a fixed line', () => {
    expect(maskPhone('0571-88001234')).toBe('0571-****1234');
    expect(maskPhone('010-6601234')).toBe('010-***1234');
  });

  it('hides all of a number too short to mask partly, and leaves empty empty', () => {
    expect(maskPhone('12345')).toBe('*****');
    expect(maskPhone('')).toBe('');
  });

  it('for any mobile number: same length, the four middle digits hidden, head and tail kept', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^1\d{10}$/), (phone) => {
        const masked = maskPhone(phone);
        expect(masked).toBe(`${phone.slice(0, 3)}****${phone.slice(7)}`);
      }),
    );
  });

  it('is stable: masking a masked value changes nothing', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^(1\d{10}|0\d{2,3}-\d{7,8})$/), (phone) => {
        const once = maskPhone(phone);
        expect(maskPhone(once)).toBe(once);
        expect(once).toHaveLength(phone.length);
      }),
    );
  });
});

describe('maskAddress', () => {
  it('keeps province and city, and does not tell the length of the rest', () => {
    expect(maskAddress('云川省青原市人民路100号3单元')).toBe('云川省青原市****');
    expect(maskAddress('云川省青原市人')).toBe('云川省青原市****');
  });

  it('keeps only the first character of a short address', () => {
    expect(maskAddress('')).toBe('');
    expect(maskAddress('人民路')).toBe('人**');
    expect(maskAddress('云川省青原市')).toBe('云*****');
  });

  it('counts characters, not UTF-16 units', () => {
    expect(maskAddress('𠀋𠀋𠀋𠀋𠀋𠀋𠀋')).toBe('𠀋𠀋𠀋𠀋𠀋𠀋****');
  });
});

describe('maskRecord', () => {
  it('masks personal fields and drops secrets at any depth, leaving other values alone', () => {
    const at = new Date('2026-03-02T02:00:00Z');
    const input = {
      name: '张悦',
      phone: '18600011234',
      passwordHash: 'scrypt$1024$8$1$salt$hash',
      nested: {
        idDocNumber: '110101199003071234',
        contactPhone: '13900001234',
        address: '云川省青原市人民路100号',
        token: 'secret',
        list: [{ number: '13900005678', plan: '套餐', newPassword: 'x', currentPassword: 'y' }],
      },
      at,
      count: 3,
      flag: true,
      nothing: null,
    };
    const copy = structuredClone(input);
    expect(maskRecord(input)).toEqual({
      name: '张悦',
      phone: '186****1234',
      nested: {
        idDocNumber: '1101**********1234',
        contactPhone: '139****1234',
        address: '云川省青原市****',
        list: [{ number: '139****5678', plan: '套餐' }],
      },
      at,
      count: 3,
      flag: true,
      nothing: null,
    });
    expect(input).toEqual(copy);
  });

  it('leaves scalars and non-string values under personal keys as they are', () => {
    expect(maskRecord('13800001234')).toBe('13800001234');
    expect(maskRecord(null)).toBeNull();
    expect(maskRecord({ phone: 42, address: null })).toEqual({ phone: 42, address: null });
  });

  it('never lets a secret through, whatever the shape', () => {
    const secretKeys = ['passwordHash', 'password', 'tokenHash', 'token', 'newPassword', 'currentPassword'];
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.integer(),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom('a', 'b', 'phone', ...secretKeys), tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(tree, (value) => {
        const json = JSON.stringify(maskRecord(value)) ?? '';
        for (const key of secretKeys) expect(json).not.toContain(`"${key}":`);
      }),
    );
  });
});

describe('typed login names', () => {
  it.each([
    ['ghost', 'g***'],
    ['g', 'g***'],
    ['', ''],
    ['Fuwu@2026', 'F***'],
    ['13912345678', '139****5678'],
    ['张三', '张***'],
  ])('%j → %j', (typed, masked) => {
    expect(maskTypedName(typed)).toBe(masked);
  });
});
