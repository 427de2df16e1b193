import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attachmentRefusal, sniffType } from './attachments.ts';

const bytes = (...parts: (number[] | string)[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p)] : p)));

const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF');
const PNG = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'IHDR');
const PDF = bytes('%PDF-1.7\n');
const WAV = bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt ');
const MP3 = bytes('ID3', [4, 0]);
const TEXT = bytes('客户来电录音整理：\n话费多扣 20 元。');

describe('sniffType', () => {
  it.each([
    ['a JPEG', JPEG, 'image/jpeg'],
    ['a PNG', PNG, 'image/png'],
    ['a PDF', PDF, 'application/pdf'],
    ['a WAV', WAV, 'audio/wav'],
    ['an MP3 with ID3', MP3, 'audio/mpeg'],
    ['an MP3 frame', bytes([0xff, 0xfb, 0x90]), 'audio/mpeg'],
    ['Chinese text', TEXT, 'text/plain'],
    ['an executable', bytes('MZ', [0x90, 0, 3]), null],
    ['an ELF binary', bytes([0x7f], 'ELF', [2, 1]), null],
    ['a ZIP (a disguised office file)', bytes('PK', [3, 4]), null],
    ['HTML is text, so allowed as text', bytes('<script>alert(1)</script>'), 'text/plain'],
    ['bytes that are not UTF-8', bytes([0x41, 0xc3, 0x28]), null],
    ['a RIFF that is not a WAVE', bytes('RIFF', [0, 0, 0, 0], 'AVI '), null],
    ['nothing', bytes(), null],
  ] as const)('%s', (_n, b, want) => {
    expect(sniffType(b)).toBe(want);
  });
});

describe('attachmentRefusal', () => {
  it.each([
    ['a photo as a photo', JPEG, 'image/jpeg', 5120, null],
    ['a type with parameters', TEXT, 'text/plain; charset=utf-8', 5120, null],
    ['case does not matter', PDF, 'Application/PDF', 5120, null],
    ['empty', bytes(), 'text/plain', 5120, 'empty'],
    ['one byte over', new Uint8Array(16 * 1024 + 1).fill(0x41), 'text/plain', 16, 'too_large'],
    ['exactly the limit', new Uint8Array(16 * 1024).fill(0x41), 'text/plain', 16, null],
    ['an executable called a photo', bytes('MZ', [0x90]), 'image/jpeg', 5120, 'forbidden_type'],
    ['a PDF called a photo', PDF, 'image/jpeg', 5120, 'type_mismatch'],
  ] as const)('%s', (_n, b, mime, max, want) => {
    expect(attachmentRefusal(b, mime, max)).toBe(want);
  });

  it('accepts a file only as the type its bytes are', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.constantFrom('image/jpeg', 'text/plain', 'application/pdf'),
        (b, mime) => {
          if (attachmentRefusal(b, mime, 5120) === null) expect(sniffType(b)).toBe(mime);
        },
      ),
    );
  });
});
