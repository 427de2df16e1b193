/**
 * PLACEHOLDER until helper "document"'s renderer is merged (branch h/document): the same signature, a
 * one-page PDF of Latin text only. Replaced wholesale at the merge.
 */
import type { DocumentContent } from './contract.ts';

export async function renderVisitPdf(
  content: DocumentContent,
  _signaturePng: Buffer,
  opts: { copy: number | null },
): Promise<Buffer> {
  const ascii = (s: string) => s.replace(/[^\x20-\x7e]/g, '?').replace(/[()\\]/g, '\\$&');
  const text = [
    `Document ${content.documentNo}${opts.copy ? ` COPY ${opts.copy}` : ''}`,
    ...content.lines.map((l) => `${l.seq}. ${l.businessEn} ${l.feeFen}`),
    `Total ${content.totalFen}`,
  ];
  const stream = `BT /F1 11 Tf 50 790 Td ${text.map((t) => `(${ascii(t)}) Tj 0 -16 Td`).join(' ')} ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
