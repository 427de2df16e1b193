/** Yuan as a clerk types it ↔ integer fen, without floats (the server counts in fen only). */
import { formatYuan } from '../../../../src/core/visit-money.ts';

export const YUAN = /^\s*-?\d{1,8}(\.\d{1,2})?\s*$/;

/** `'12.5'` → 1250; null for anything that is not a yuan amount. */
export function yuanToFen(text: string | number | null | undefined): number | null {
  if (text === null || text === undefined) return null;
  const s = String(text).normalize('NFKC').trim();
  if (!YUAN.test(s)) return null;
  const negative = s.startsWith('-');
  const [whole = '0', part = ''] = s.replace('-', '').split('.');
  const fen = Number(whole) * 100 + Number(part.padEnd(2, '0'));
  return negative ? -fen : fen;
}

/** 1250 → `¥12.50`. */
export const yuan = (fen: number): string => `¥${formatYuan(fen)}`;
