/** Excel exports: one sheet of rows under bilingual headers. Callers pass data that is already masked. */
import ExcelJS from 'exceljs';

export interface Column<T> {
  header: string;
  width?: number;
  value(row: T): string | number | boolean | null;
}

/** A workbook of one sheet, as the bytes of an .xlsx file. */
export async function xlsx<T>(
  sheet: string,
  columns: readonly Column<T>[],
  rows: readonly T[],
): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Fuwu';
  const ws = book.addWorksheet(sheet);
  ws.columns = columns.map((c, i) => ({ header: c.header, key: String(i), width: c.width ?? 16 }));
  ws.getRow(1).font = { bold: true };
  for (const row of rows) ws.addRow(columns.map((c) => c.value(row)));
  return Buffer.from(await book.xlsx.writeBuffer());
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
