import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FIXTURE_FULL_ID,
  FIXTURE_MASKED_ID,
  fixtureContent,
  fixtureSignaturePng,
} from '../../../test/support/document-fixture.ts';
import { DocumentContent } from './contract.ts';
import {
  DOCUMENT_TERMS,
  documentNo,
  isPngSignature,
  renderVisitPdf,
  SignatureImageError,
} from './document.ts';

const dir = mkdtempSync(join(tmpdir(), 'fuwu-doc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** Writes the PDF to a temp file and runs a poppler tool on it. */
function poppler(pdf: Buffer, tool: 'pdftotext' | 'pdfinfo' | 'pdffonts', ...args: string[]): string {
  const file = join(dir, `d${n++}.pdf`);
  writeFileSync(file, pdf);
  const out = tool === 'pdftotext' ? [...args, file, '-'] : [...args, file];
  return execFileSync(tool, out, { encoding: 'utf8' });
}
const text = (pdf: Buffer, ...args: string[]) => poppler(pdf, 'pdftotext', '-layout', ...args);
const pages = (pdf: Buffer) => Number(/Pages:\s+(\d+)/.exec(poppler(pdf, 'pdfinfo'))?.[1]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const sig = fixtureSignaturePng();

describe('renderVisitPdf: the original of a visit with three transactions', () => {
  const content = DocumentContent.parse(fixtureContent());
  let pdf: Buffer = Buffer.alloc(0);
  let t = '';
  beforeAll(async () => {
    pdf = await renderVisitPdf(content, sig, { copy: null });
    t = text(pdf);
  });

  it('is a one-page A4 PDF', () => {
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pages(pdf)).toBe(1);
    expect(poppler(pdf, 'pdfinfo')).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
  });

  it('lists every business in Chinese and English, each fee, the total and the payments', () => {
    for (const l of content.lines) {
      expect(t).toContain(l.businessZh);
      expect(t).toContain(l.businessEn);
    }
    expect(t).toMatch(/0\.00/);
    expect(t).toContain('10.00');
    expect(t).toContain('86.50');
    expect(t).toMatch(/合计 Total\s+¥ 96\.50/);
    expect(t).toMatch(/现金 Cash\s+50\.00\s+100\.00\s+50\.00/);
    expect(t).toMatch(/移动支付 Mobile pay\s+46\.50\s+—\s+0\.00/);
    expect(t).toMatch(/已付 Paid\s+¥ 96\.50/);
  });

  it('shows the header, the visit facts and the details as the clerk saw them', () => {
    for (const s of [
      '中国联通 广东分公司',
      '业务受理单（一单清）',
      'GZ0101-20261203-0007',
      '广州天河营业厅',
    ]) {
      expect(t).toContain(s);
    }
    for (const s of ['3号窗口', '王小明', '2026-12-03 10:42 (Asia/Shanghai)', 'A012', '张*', '个人客户']) {
      expect(t).toContain(s);
    }
    expect(t).toContain('新套餐: 冰激凌 129元套餐');
    expect(t).toContain('新卡ICCID: 8986 0118 **** 7788');
    expect(t).toContain('186****1234');
  });

  it('shows the masked ID number and never the full one', () => {
    expect(t).toContain(`居民身份证 ${FIXTURE_MASKED_ID}`);
    expect(t).not.toContain(FIXTURE_FULL_ID);
    expect(pdf.includes(Buffer.from(FIXTURE_FULL_ID))).toBe(false);
  });

  it('prints the terms (Chinese first, then English) and the signing time; no hash, no copy mark', () => {
    const zh = t.indexOf('业务受理须知');
    expect(zh).toBeGreaterThan(0);
    expect(t.indexOf('10010')).toBeGreaterThan(zh);
    expect(t.indexOf('请您核对本单所列')).toBeLessThan(t.indexOf('Please check every piece'));
    expect(t).toContain('签名时间 Signed at: 2026-12-03 10:42 (Asia/Shanghai)');
    expect(t).not.toContain('副本');
    expect(t).not.toContain('SHA-256');
  });

  it('extracts Chinese as Chinese from an embedded subset of Noto Sans SC (no boxes, no system font)', () => {
    // pdfkit maps each glyph to its code points in the ToUnicode map; a glyph missing from the font (.notdef,
    // drawn as a box) has none, so it would extract as nothing. Every CJK character of the content must come back.
    const expected = [...'中国联通业务受理单套餐变更补换卡缴纳话费营业厅客户签名现金'];
    for (const ch of expected) expect(t).toContain(ch);
    const fonts = poppler(pdf, 'pdffonts');
    const rows = fonts.split('\n').filter((l) => /NotoSansSC/.test(l));
    expect(rows.length).toBe(2); // regular and bold
    for (const row of rows)
      expect(row).toMatch(/^[A-Z]{6}\+NotoSansSC-(Regular|Bold)\s.*\byes\s+yes\s+yes\b/);
  });

  it('embeds the signature image', () => {
    const file = join(dir, `img${n++}.pdf`);
    writeFileSync(file, pdf);
    const list = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' });
    expect(list).toMatch(/\s360\s+120\s/);
  });

  it('stays small (the font is subset)', () => {
    expect(pdf.length).toBeLessThan(150_000);
  });
});

describe('renderVisitPdf: determinism', () => {
  it('gives the same bytes for the same input, so the stored hash is reproducible', async () => {
    const a = await renderVisitPdf(fixtureContent(), sig, { copy: null });
    const b = await renderVisitPdf(fixtureContent(), fixtureSignaturePng(), { copy: null });
    expect(sha(a)).toBe(sha(b));
    const c = await renderVisitPdf(fixtureContent(), sig, { copy: 1, originalSha256: sha(a) });
    const d = await renderVisitPdf(fixtureContent(), sig, { copy: 1, originalSha256: sha(a) });
    expect(c.equals(d)).toBe(true);
    expect(c.equals(a)).toBe(false);
  });

  it('dates the PDF from the signing time in its zone, not from the clock', async () => {
    const info = poppler(await renderVisitPdf(fixtureContent(), sig, { copy: null }), 'pdfinfo', '-isodates');
    expect(info).toMatch(/CreationDate:\s+2026-12-03T02:42:00Z/);
  });

  it('changes the bytes when a fee changes', async () => {
    const a = await renderVisitPdf(fixtureContent(), sig, { copy: null });
    const other = fixtureContent();
    other.lines[1]!.feeFen = 1100;
    const b = await renderVisitPdf(other, sig, { copy: null });
    expect(a.equals(b)).toBe(false);
  });
});

describe('renderVisitPdf: a copy', () => {
  it('is marked 副本 COPY n and shows the original SHA-256 on every page', async () => {
    const original = await renderVisitPdf(fixtureContent(40), sig, { copy: null });
    const hash = sha(original);
    const copy = await renderVisitPdf(fixtureContent(40), sig, { copy: 3, originalSha256: hash });
    const count = pages(copy);
    expect(count).toBeGreaterThan(1);
    for (let p = 1; p <= count; p++) {
      const t = text(copy, '-f', String(p), '-l', String(p));
      expect(t).toContain('副本 COPY 3');
      expect(t).toContain(hash);
    }
    expect(text(original)).not.toContain('副本');
  });
});

describe('renderVisitPdf: long content', () => {
  it('flows 40 more lines onto more pages, each with the header and its page number', async () => {
    const content = fixtureContent(40);
    const pdf = await renderVisitPdf(content, sig, { copy: null });
    const count = pages(pdf);
    expect(count).toBeGreaterThan(1);
    for (let p = 1; p <= count; p++) {
      const t = text(pdf, '-f', String(p), '-l', String(p));
      expect(t).toContain('中国联通 广东分公司');
      expect(t).toContain('业务受理单（一单清）');
      expect(t).toContain('GZ0101-20261203-0007');
      expect(t).toContain(`第 ${p} 页 / 共 ${count} 页`);
    }
    const all = text(pdf);
    for (const l of content.lines) expect(all).toContain(l.businessEn);
    expect(all).toMatch(/合计 Total\s+¥ 296\.50/);
    // The table header is repeated where the table goes on, and the signature comes once, on the last page.
    expect(all.split('费用（元）').length - 1).toBe(count);
    expect(text(pdf, '-f', String(count), '-l', String(count))).toContain('客户签名');
  });

  it('shows a refund as a negative amount and a visit without payments', async () => {
    const c = fixtureContent();
    c.lines = [{ ...c.lines[0]!, businessZh: '余额退费', businessEn: 'Balance refund', feeFen: -5050 }];
    c.totalFen = -5050;
    c.payments = [];
    c.paidFen = 0;
    const t = text(await renderVisitPdf(c, sig, { copy: null }));
    expect(t).toMatch(/合计 Total\s+¥ -50\.50/);
    expect(t).toContain('无 none');
  });
});

describe('renderVisitPdf: the signature must be a PNG', () => {
  it('refuses bytes that are not a PNG with SignatureImageError', async () => {
    await expect(
      renderVisitPdf(fixtureContent(), Buffer.from('hello'), { copy: null }),
    ).rejects.toBeInstanceOf(SignatureImageError);
    const broken = Buffer.from(sig);
    broken.fill(0, 40); // a PNG header over garbage
    await expect(renderVisitPdf(fixtureContent(), broken, { copy: null })).rejects.toBeInstanceOf(
      SignatureImageError,
    );
  });

  it('isPngSignature accepts the pad PNG and refuses others', () => {
    expect(isPngSignature(sig)).toBe(true);
    expect(isPngSignature(Buffer.alloc(0))).toBe(false);
    expect(isPngSignature(readFileSync(new URL(import.meta.url)))).toBe(false);
  });
});

describe('documentNo and DOCUMENT_TERMS', () => {
  it('joins the hall code, the local date and a 4-digit sequence', () => {
    expect(documentNo('gz0101', '2026-12-03', 7)).toBe('GZ0101-20261203-0007');
    expect(documentNo('SZ01', '2026-01-31', 12345)).toBe('SZ01-20260131-12345');
  });

  it.each([
    ['', '2026-12-03', 1],
    ['GZ 01', '2026-12-03', 1],
    ['GZ01', '2026-02-30', 1],
    ['GZ01', '20261203', 1],
    ['GZ01', '2026-12-03', 0],
    ['GZ01', '2026-12-03', 1.5],
  ])('refuses %j %j %j', (code, date, seq) => {
    expect(() => documentNo(code, date, seq)).toThrow(RangeError);
  });

  it('the terms say to check the lines and fees, what the signature means, to keep it, the password, 10010', () => {
    for (const s of ['核对', '签名', '保管', '服务密码', '10010']) expect(DOCUMENT_TERMS.zh).toContain(s);
    for (const s of ['check', 'signature', 'Keep', 'password', '10010'])
      expect(DOCUMENT_TERMS.en).toContain(s);
  });
});
