/**
 * What a work order may carry as a file (issue #14): photos, scans and PDFs of bills and letters, call
 * recordings, plain text — recognised by their first bytes, never by the name or the type the browser
 * claims; at most `workorder.attachmentMaxKb`. Pure.
 */
export const ATTACHMENT_TYPES = [
  'image/jpeg',
  'image/png',
  'application/pdf',
  'audio/wav',
  'audio/mpeg',
  'text/plain',
] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

const starts = (b: Uint8Array, sig: readonly number[], at = 0) =>
  b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** The type the bytes are, from their signature; null when none allowed (text: UTF-8 without control bytes). */
export function sniffType(b: Uint8Array): AttachmentType | null {
  if (starts(b, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts(b, ascii('%PDF-'))) return 'application/pdf';
  if (starts(b, ascii('RIFF')) && starts(b, ascii('WAVE'), 8)) return 'audio/wav';
  if (starts(b, ascii('ID3')) || (b.length >= 2 && b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0))
    return 'audio/mpeg';
  if (b.length > 0 && isPlainText(b)) return 'text/plain';
  return null;
}

function isPlainText(b: Uint8Array): boolean {
  for (const x of b) if (x < 0x20 && x !== 0x09 && x !== 0x0a && x !== 0x0d) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}

export type AttachmentRefusal = 'empty' | 'too_large' | 'forbidden_type' | 'type_mismatch';

/** Why a file may not be attached, or null when it may (its declared type must be what its bytes are). */
export function attachmentRefusal(b: Uint8Array, declared: string, maxKb: number): AttachmentRefusal | null {
  if (b.length === 0) return 'empty';
  if (b.length > maxKb * 1024) return 'too_large';
  const actual = sniffType(b);
  if (!actual) return 'forbidden_type';
  return declared.toLowerCase().split(';')[0]!.trim() === actual ? null : 'type_mismatch';
}
