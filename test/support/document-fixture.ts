/**
 * A signed document's content and signature for tests and the bench: three transactions (plan change, SIM
 * replacement, bill payment), cash and mobile pay, and a signature PNG drawn here (a stroke on a transparent
 * canvas) so nothing depends on a file.
 */
import { deflateSync } from 'node:zlib';
import type { DocumentContent } from '../../src/modules/visits/contract.ts';
import { DOCUMENT_TERMS, documentNo } from '../../src/modules/visits/document-sections.ts';

/** The full ID number behind the masked one: must never appear in a document. */
export const FIXTURE_FULL_ID = '11010519491231002X';
export const FIXTURE_MASKED_ID = '110105********002X';

export function fixtureContent(extraLines = 0): DocumentContent {
  const lines: DocumentContent['lines'] = [
    {
      seq: 1,
      businessZh: '套餐变更',
      businessEn: 'Plan change',
      subscriptionNumber: '186****1234',
      details: [
        { zh: '原套餐', en: 'Old plan', value: '沃4G 76元套餐' },
        { zh: '新套餐', en: 'New plan', value: '冰激凌 129元套餐' },
        { zh: '生效方式', en: 'Takes effect', value: '次月生效' },
      ],
      feeFen: 0,
    },
    {
      seq: 2,
      businessZh: '补换卡',
      businessEn: 'SIM replacement',
      subscriptionNumber: '186****1234',
      details: [
        { zh: '原因', en: 'Reason', value: '卡损坏' },
        { zh: '新卡ICCID', en: 'New ICCID', value: '8986 0118 **** 7788' },
      ],
      feeFen: 1000,
    },
    {
      seq: 3,
      businessZh: '缴纳话费',
      businessEn: 'Bill payment',
      subscriptionNumber: '186****1234',
      details: [{ zh: '账期', en: 'Bill period', value: '2026-11' }],
      feeFen: 8650,
    },
  ];
  for (let i = 0; i < extraLines; i++) {
    lines.push({
      seq: lines.length + 1,
      businessZh: `增值业务变更 ${i + 1}`,
      businessEn: `Value-added change ${i + 1}`,
      subscriptionNumber: '186****1234',
      details: [
        { zh: '业务', en: 'Service', value: '来电显示' },
        { zh: '操作', en: 'Action', value: i % 2 ? '取消' : '开通' },
      ],
      feeFen: 500,
    });
  }
  const totalFen = lines.reduce((s, l) => s + l.feeFen, 0);
  return {
    operator: { zh: '中国联通 广东分公司', en: 'China Unicom Guangdong' },
    documentNo: documentNo('GZ0101', '2026-12-03', 7),
    hall: '广州天河营业厅',
    counter: '3号窗口',
    clerk: '王小明',
    signedAtLocal: '2026-12-03 10:42',
    timeZone: 'Asia/Shanghai',
    ticketNumber: 'A012',
    customer: {
      name: '张*',
      kind: 'individual',
      idDocKind: 'resident_id',
      idDocNumber: FIXTURE_MASKED_ID,
    },
    lines,
    totalFen,
    payments: [
      { method: 'cash', amountFen: 5000, tenderedFen: 10000, changeFen: 5000 },
      { method: 'mobile_pay', amountFen: totalFen - 5000, tenderedFen: null, changeFen: 0 },
    ],
    paidFen: totalFen,
    terms: DOCUMENT_TERMS,
  };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A 360×120 grey+alpha PNG with a handwriting-like stroke, like the pad's canvas sends. */
export function fixtureSignaturePng(): Buffer {
  const w = 360;
  const h = 120;
  const raw = Buffer.alloc((w * 2 + 1) * h);
  const ink = (x: number, y: number): void => {
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const px = Math.round(x) + dx;
        const py = Math.round(y) + dy;
        if (px < 0 || py < 0 || px >= w || py >= h) continue;
        const o = py * (w * 2 + 1) + 1 + px * 2;
        raw[o] = 20;
        raw[o + 1] = 255;
      }
  };
  for (let t = 0; t <= 1; t += 0.0005) {
    const x = 20 + t * 320;
    const y = 60 + 28 * Math.sin(t * 14) * Math.cos(t * 3) - 10 * Math.sin(t * 41);
    ink(x, y);
  }
  for (let t = 0; t <= 1; t += 0.002) ink(60 + t * 240, 100 - t * 6);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 4; // grey + alpha
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export function fixtureSignatureDataUrl(): string {
  return `data:image/png;base64,${fixtureSignaturePng().toString('base64')}`;
}
