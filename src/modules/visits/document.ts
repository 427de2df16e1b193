/**
 * The signed document (一单清) of a visit as an A4 PDF (issue #13, SPEC §2.2): operator header, the visit's
 * facts, every transaction with its details and fee, the total, the payments, the terms and the customer's
 * signature. The sections come from document-sections.ts, which the console's print page renders too.
 *
 * The font is Noto Sans SC (OFL) from the npm package @expo-google-fonts/noto-sans-sc: it installs with the
 * project, is read once per process and embedded as a subset. The output is deterministic for the same input
 * (info dates from the content, no random ids) so the stored PDF's SHA-256 can be reproduced.
 * The original does not print its own hash (it is the hash of these bytes); a copy prints the original's.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { DateTime } from 'luxon';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import type { DocumentContent } from './contract.ts';
import { DOC_LABELS, documentSections } from './document-sections.ts';
import type { Bilingual, DocSections } from './document-sections.ts';

export { DOCUMENT_TERMS, documentNo, documentSections } from './document-sections.ts';

export interface RenderOptions {
  /** null: the original; n ≥ 1: the n-th copy (副本), marked on every page. */
  copy: number | null;
  /** The original's SHA-256, printed on a copy (ignored on the original). */
  originalSha256?: string | null;
}

/** The signature is not a PNG pdfkit can read: the caller answers 4xx (the pad sent something else). */
export class SignatureImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignatureImageError';
  }
}

const require = createRequire(import.meta.url);
const FONT_PACKAGE = '@expo-google-fonts/noto-sans-sc';
let fonts: { regular: fontkit.Font; bold: fontkit.Font } | null = null;

function openFont(file: string): fontkit.Font {
  const font = fontkit.create(readFileSync(require.resolve(`${FONT_PACKAGE}/${file}`)));
  if (!('layout' in font)) throw new Error(`${file} is a font collection`);
  return font;
}

/**
 * The fonts, read and parsed once per process (parsing the 10 MB TTFs for each document cost ~40% of a render).
 * pdfkit embeds a fresh subset of them into each document.
 */
function cjkFonts(): { regular: fontkit.Font; bold: fontkit.Font } {
  fonts ??= {
    regular: openFont('400Regular/NotoSansSC_400Regular.ttf'),
    bold: openFont('700Bold/NotoSansSC_700Bold.ttf'),
  };
  return fonts;
}

/** pdfkit takes a parsed fontkit font (it checks for `layout`), though its typings list only bytes and paths. */
const asFontSource = (font: fontkit.Font): PDFKit.Mixins.PDFFontSource => font as unknown as Buffer;

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** True when the bytes start like a PNG with an IHDR of a sane size (what pdfkit can embed). */
export function isPngSignature(png: Buffer): boolean {
  if (png.length < 33 || !png.subarray(0, 8).equals(PNG_MAGIC)) return false;
  if (png.toString('latin1', 12, 16) !== 'IHDR') return false;
  const w = png.readUInt32BE(16);
  const h = png.readUInt32BE(20);
  return w > 0 && h > 0 && w <= 4000 && h <= 4000;
}

// -- Layout (points; A4 = 595.28 × 841.89) ------------------------------------------------------------

const PAGE = { width: 595.28, height: 841.89 };
const M = { left: 42, right: 42, top: 36, bottom: 46 };
const CONTENT_W = PAGE.width - M.left - M.right;
const BODY_BOTTOM = PAGE.height - M.bottom - 8;
const INK = '#1f1f1f';
const MUTED = '#6b6b6b';
const ACCENT = '#c8102e';
const RULE = '#bfbfbf';
const HEAD_BG = '#f2f2f2';

/** Table columns of the transactions: no., business, details, fee. */
const COLS = { seq: 34, business: 150, fee: 78 };
const COL_DETAILS = CONTENT_W - COLS.seq - COLS.business - COLS.fee;

type Doc = PDFKit.PDFDocument;

/** The info dates from the signing time in its zone (epoch when unreadable): same input, same bytes. */
function signedDate(c: DocumentContent): Date {
  const t = DateTime.fromFormat(c.signedAtLocal, 'yyyy-MM-dd HH:mm', { zone: c.timeZone });
  return t.isValid ? t.toJSDate() : new Date(0);
}

class Writer {
  y = 0;
  /** Where the body starts under the header (lower on a copy). */
  bodyTop = 0;
  constructor(
    readonly doc: Doc,
    readonly s: DocSections,
    readonly opts: RenderOptions,
  ) {}

  font(bold: boolean, size: number, color = INK): Doc {
    return this.doc
      .font(bold ? 'cjk-bold' : 'cjk')
      .fontSize(size)
      .fillColor(color);
  }

  h(text: string, width: number, bold: boolean, size: number): number {
    this.font(bold, size);
    return this.doc.heightOfString(text, { width, lineGap: 1 });
  }

  put(text: string, x: number, y: number, width: number, bold: boolean, size: number, color = INK): number {
    this.font(bold, size, color);
    this.doc.text(text, x, y, { width, lineGap: 1, lineBreak: true });
    return this.doc.y - y; // what heightOfString would say, without laying the text out twice
  }

  /** The header repeated on every page: operator, title, document number, copy mark. */
  header(): void {
    const { doc, s } = this;
    doc.rect(M.left, M.top, 6, 40).fill(ACCENT);
    this.put(s.operator.zh, M.left + 14, M.top - 2, CONTENT_W - 240, true, 18, ACCENT);
    this.put(s.operator.en, M.left + 14, M.top + 24, CONTENT_W - 240, false, 8.5, MUTED);
    const right = M.left + CONTENT_W - 220;
    this.put(s.title.zh, right, M.top - 1, 220, true, 14);
    this.put(s.title.en, right, M.top + 18, 220, false, 8.5, MUTED);
    this.put(
      `${DOC_LABELS.documentNo.zh} ${DOC_LABELS.documentNo.en}: ${s.documentNo}`,
      right,
      M.top + 30,
      220,
      false,
      8.5,
    );
    doc
      .moveTo(M.left, M.top + 50)
      .lineTo(M.left + CONTENT_W, M.top + 50)
      .lineWidth(1.2)
      .strokeColor(INK)
      .stroke();
    this.y = M.top + 58;
    if (this.opts.copy !== null) {
      doc.save();
      doc.rotate(-30, { origin: [PAGE.width / 2, PAGE.height / 2] });
      doc.opacity(0.07);
      this.font(true, 120, ACCENT);
      doc.text(DOC_LABELS.copy.zh, 0, PAGE.height / 2 - 80, { width: PAGE.width, align: 'center' });
      doc.restore();
      doc.rect(M.left, this.y, CONTENT_W, 22).lineWidth(1.4).strokeColor(ACCENT).stroke();
      this.put(
        `${DOC_LABELS.copy.zh} ${DOC_LABELS.copy.en} ${this.opts.copy}`,
        M.left + 8,
        this.y + 3,
        110,
        true,
        11,
        ACCENT,
      );
      const sha = this.opts.originalSha256 ?? '';
      this.put(
        `${DOC_LABELS.originalSha.zh} / ${DOC_LABELS.originalSha.en}`,
        M.left + 120,
        this.y + 2.5,
        400,
        false,
        6.5,
        ACCENT,
      );
      this.put(sha, M.left + 120, this.y + 11, CONTENT_W - 128, false, 7, ACCENT);
      this.y += 30;
    }
    this.bodyTop = this.y;
  }

  newPage(): void {
    this.doc.addPage({ size: 'A4', margins: { top: 0, bottom: 0, left: 0, right: 0 } });
    this.header();
  }

  /** Makes room for `height` points, starting a new page (with its header) when it does not fit. */
  need(height: number): void {
    if (this.y + height > BODY_BOTTOM && this.y > this.bodyTop) this.newPage();
  }

  /** A section title: Chinese bold, English beside it. */
  title(b: Bilingual): void {
    this.need(40);
    this.y += 4;
    this.put(b.zh, M.left, this.y, 200, true, 11);
    this.font(true, 11);
    const w = this.doc.widthOfString(b.zh);
    this.put(b.en, M.left + w + 6, this.y + 2.5, 200, false, 8, MUTED);
    this.y += 16;
  }

  /** The visit's facts in two columns of label / value. */
  fields(): void {
    const colW = CONTENT_W / 2;
    const labelW = 92;
    const rows = Math.ceil(this.s.fields.length / 2);
    for (let r = 0; r < rows; r++) {
      const pair = [this.s.fields[r], this.s.fields[r + rows]];
      let rowH = 0;
      pair.forEach((f, i) => {
        if (!f) return;
        const x = M.left + i * colW;
        this.put(f.label.zh, x, this.y, labelW, false, 9, MUTED);
        this.put(f.label.en, x, this.y + 11, labelW, false, 6.5, MUTED);
        const h = this.put(f.value, x + labelW, this.y, colW - labelW - 8, false, 10);
        rowH = Math.max(rowH, h, 20);
      });
      this.y += rowH + 2;
    }
  }

  tableHead(cols: { label: Bilingual; width: number; align: 'left' | 'right' }[]): void {
    const { doc } = this;
    doc.rect(M.left, this.y, CONTENT_W, 24).fill(HEAD_BG);
    let x = M.left;
    for (const c of cols) {
      this.font(true, 9);
      doc.text(c.label.zh, x + 4, this.y + 2, { width: c.width - 8, align: c.align });
      this.font(false, 6.5, MUTED);
      doc.text(c.label.en, x + 4, this.y + 14, { width: c.width - 8, align: c.align });
      x += c.width;
    }
    this.y += 26;
  }

  rule(color = RULE, width = 0.5): void {
    this.doc
      .moveTo(M.left, this.y)
      .lineTo(M.left + CONTENT_W, this.y)
      .lineWidth(width)
      .strokeColor(color)
      .stroke();
  }

  lines(): void {
    const head = [
      { label: DOC_LABELS.seq, width: COLS.seq, align: 'left' as const },
      { label: DOC_LABELS.business, width: COLS.business, align: 'left' as const },
      { label: DOC_LABELS.details, width: COL_DETAILS, align: 'left' as const },
      { label: DOC_LABELS.fee, width: COLS.fee, align: 'right' as const },
    ];
    this.title(DOC_LABELS.lines);
    this.need(60);
    this.tableHead(head);
    for (const line of this.s.lines) {
      const detail = line.details.map((d) => `${d.label.zh}: ${d.value}`).join('\n') || '—';
      const bizH =
        this.h(line.business.zh, COLS.business - 8, true, 9.5) +
        this.h(line.business.en, COLS.business - 8, false, 7) +
        (line.subscription ? 12 : 0);
      const rowH = Math.max(bizH, this.h(detail, COL_DETAILS - 8, false, 8.5), 18) + 6;
      if (this.y + rowH > BODY_BOTTOM) {
        this.newPage();
        this.tableHead(head);
      }
      const top = this.y + 4;
      let x = M.left;
      this.put(String(line.seq), x + 4, top, COLS.seq - 8, false, 9.5);
      x += COLS.seq;
      let by = top + this.put(line.business.zh, x + 4, top, COLS.business - 8, true, 9.5);
      by += this.put(line.business.en, x + 4, by, COLS.business - 8, false, 7, MUTED);
      if (line.subscription) this.put(line.subscription, x + 4, by + 1, COLS.business - 8, false, 8, MUTED);
      x += COLS.business;
      this.put(detail, x + 4, top, COL_DETAILS - 8, false, 8.5);
      x += COL_DETAILS;
      this.font(false, 9.5);
      this.doc.text(line.fee, x + 4, top, { width: COLS.fee - 8, align: 'right' });
      this.y += rowH;
      this.rule();
    }
    this.need(28);
    this.y += 4;
    this.font(true, 11);
    this.doc.text(`${DOC_LABELS.total.zh} ${DOC_LABELS.total.en}`, M.left + 4, this.y, {
      width: CONTENT_W - COLS.fee - 8,
      align: 'right',
    });
    this.doc.text(`¥ ${this.s.total}`, M.left + CONTENT_W - COLS.fee - 30, this.y, {
      width: COLS.fee + 26,
      align: 'right',
    });
    this.y += 20;
    this.rule(INK, 1);
    this.y += 4;
  }

  payments(): void {
    const w = CONTENT_W / 4;
    const head = [
      { label: DOC_LABELS.method, width: w, align: 'left' as const },
      { label: DOC_LABELS.amount, width: w, align: 'right' as const },
      { label: DOC_LABELS.tendered, width: w, align: 'right' as const },
      { label: DOC_LABELS.change, width: w, align: 'right' as const },
    ];
    this.title(DOC_LABELS.payments);
    this.need(50);
    this.tableHead(head);
    const rows = this.s.payments.length
      ? this.s.payments.map((p) => [`${p.method.zh} ${p.method.en}`, p.amount, p.tendered, p.change])
      : [[`${DOC_LABELS.none.zh} ${DOC_LABELS.none.en}`, '', '', '']];
    for (const row of rows) {
      this.need(18);
      row.forEach((cell, i) => {
        this.font(false, 9.5);
        this.doc.text(cell, M.left + i * w + 4, this.y + 3, { width: w - 8, align: i ? 'right' : 'left' });
      });
      this.y += 18;
      this.rule();
    }
    this.y += 4;
    this.font(true, 10);
    this.doc.text(`${DOC_LABELS.paid.zh} ${DOC_LABELS.paid.en}  ¥ ${this.s.paid}`, M.left, this.y, {
      width: CONTENT_W - 4,
      align: 'right',
    });
    this.y += 18;
  }

  terms(): void {
    const zh = this.s.terms.zh;
    const en = this.s.terms.en;
    const inner = CONTENT_W - 16;
    const hz = this.h(zh, inner, false, 8.5);
    const he = this.h(en, inner, false, 7);
    this.title(DOC_LABELS.terms);
    this.need(hz + he + 20);
    const top = this.y;
    this.put(zh, M.left + 8, top + 6, inner, false, 8.5);
    this.put(en, M.left + 8, top + 10 + hz, inner, false, 7, MUTED);
    const boxH = hz + he + 16;
    this.doc.rect(M.left, top, CONTENT_W, boxH).lineWidth(0.6).strokeColor(RULE).stroke();
    this.y = top + boxH + 8;
  }

  signature(png: Buffer): void {
    const boxW = 230;
    const boxH = 84;
    this.need(boxH + 18);
    const x = M.left + CONTENT_W - boxW;
    const top = this.y;
    this.put(DOC_LABELS.signature.zh, x, top, boxW, true, 10);
    this.put(DOC_LABELS.signature.en, x + 56, top + 2.5, boxW, false, 7, MUTED);
    this.doc
      .rect(x, top + 16, boxW, boxH - 16)
      .lineWidth(0.6)
      .strokeColor(RULE)
      .stroke();
    try {
      this.doc.image(png, x + 6, top + 20, {
        fit: [boxW - 12, boxH - 24],
        align: 'center',
        valign: 'center',
      });
    } catch (e) {
      throw new SignatureImageError(`the signature PNG cannot be embedded: ${(e as Error).message}`);
    }
    this.put(
      `${DOC_LABELS.signedAt.zh} ${DOC_LABELS.signedAt.en}: ${this.s.signedAt}`,
      x,
      top + boxH + 3,
      boxW,
      false,
      8,
    );
    this.put(
      `${DOC_LABELS.clerk.zh} ${DOC_LABELS.clerk.en}: ${this.s.fields[2]?.value ?? ''}`,
      M.left,
      top + boxH + 3,
      200,
      false,
      8,
    );
    this.y = top + boxH + 18;
  }

  /** Page numbers on every page, once the page count is known. */
  footers(): void {
    const { doc } = this;
    const range = doc.bufferedPageRange();
    for (let i = 0; i < range.count; i++) {
      doc.switchToPage(range.start + i);
      const y = PAGE.height - M.bottom;
      doc
        .moveTo(M.left, y - 4)
        .lineTo(M.left + CONTENT_W, y - 4)
        .lineWidth(0.5)
        .strokeColor(RULE)
        .stroke();
      this.font(false, 7.5, MUTED);
      doc.text(`${this.s.documentNo}`, M.left, y, { width: 200, lineBreak: false });
      doc.text(
        `第 ${i + 1} 页 / 共 ${range.count} 页   ${DOC_LABELS.page.en} ${i + 1} of ${range.count}`,
        M.left + CONTENT_W - 220,
        y,
        { width: 220, align: 'right', lineBreak: false },
      );
    }
  }
}

/**
 * The document as PDF bytes (A4, one or more pages). `signaturePng` is the pad's PNG (decoded from its data URL);
 * a PNG pdfkit cannot read raises SignatureImageError. Same content, signature and options → same bytes.
 */
export async function renderVisitPdf(
  content: DocumentContent,
  signaturePng: Buffer,
  opts: RenderOptions,
): Promise<Buffer> {
  if (!isPngSignature(signaturePng)) throw new SignatureImageError('the signature is not a PNG image');
  const { regular, bold } = cjkFonts();
  const at = signedDate(content);
  const s = documentSections(content);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 0, bottom: 0, left: 0, right: 0 },
    bufferPages: true,
    autoFirstPage: false,
    // No default font: pdfkit would parse its built-in Helvetica metrics for every document (3% of a render),
    // and every text here is set in the CJK font registered below.
    font: '',
    compress: true,
    info: {
      Title: `${s.title.zh} ${s.documentNo}${opts.copy === null ? '' : ` ${DOC_LABELS.copy.zh} ${opts.copy}`}`,
      Author: content.operator.zh,
      Subject: s.title.en,
      Creator: 'Fuwu',
      Producer: 'Fuwu',
      CreationDate: at,
      ModDate: at,
    },
    lang: 'zh-CN',
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', asFontSource(regular));
  doc.registerFont('cjk-bold', asFontSource(bold));
  const w = new Writer(doc, s, opts);
  try {
    w.newPage();
    w.fields();
    w.lines();
    w.payments();
    w.terms();
    w.signature(signaturePng);
    w.footers();
  } finally {
    doc.end();
  }
  return done;
}
