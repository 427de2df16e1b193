/**
 * Files on a work order (issue #14): a photo of the bill, the customer's letter, a call recording — their
 * type told by their bytes (core/attachments.ts), their size under `workorder.attachmentMaxKb`, stored in the
 * database with their SHA-256; read back only by those who see the order, always as a download.
 */
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { attachmentRefusal } from '../../core/attachments.ts';
import type { Ctx } from '../../platform/context.ts';
import { notFound, unprocessable, fieldProblem } from '../../platform/http/problem.ts';
import { newId } from '../../platform/ids.ts';
import { settingValues } from '../settings/service.ts';
import { onOrder, record, saveOrder, wrongState } from './handling.ts';
import { workOrderAttachments } from './schema.ts';
import { readableOrder } from './shared.ts';

const REFUSALS = {
  empty: ['文件是空的', 'The file is empty'],
  too_large: ['文件太大', 'The file is too large'],
  forbidden_type: [
    '只能上传图片（JPEG、PNG）、PDF、录音（WAV、MP3）或文本',
    'Only images (JPEG, PNG), PDF, recordings (WAV, MP3) or text',
  ],
  type_mismatch: ['文件内容与所报类型不符', 'The file is not of the type it claims'],
} as const;

export function attachFile(ctx: Ctx, id: string, input: { name: string; mime: string; dataBase64: string }) {
  return onOrder(ctx, id, 'workorder.handle', undefined, async (tx, row, now) => {
    if (row.state === 'closed') throw wrongState(row);
    const bytes = Buffer.from(input.dataBase64, 'base64');
    const v = await settingValues(tx, row.handlingUnitPath, ['workorder.attachmentMaxKb'], now);
    const maxKb = Number(v['workorder.attachmentMaxKb']);
    const refusal = attachmentRefusal(bytes, input.mime, maxKb);
    if (refusal) {
      const [zh, en] = REFUSALS[refusal];
      throw unprocessable(`attachment_${refusal}`, zh, en, [
        fieldProblem(
          'body.dataBase64',
          refusal === 'too_large' ? `不超过 ${maxKb} KB` : zh,
          refusal === 'too_large' ? `At most ${maxKb} KB` : en,
        ),
      ]);
    }
    const attachmentId = newId();
    await tx.insert(workOrderAttachments).values({
      id: attachmentId,
      orderId: row.id,
      name: input.name,
      mime: input.mime.toLowerCase().split(';')[0]!.trim(),
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytes,
      addedBy: ctx.actor.name,
      addedAt: now,
    });
    const saved = await saveOrder(tx, row, {});
    await record(tx, ctx, saved, 'attached', 'workorder.attached', input.name, {
      attachmentId,
      size: bytes.length,
    });
  });
}

/** One file, for those who see the order. */
export async function readAttachment(ctx: Ctx, id: string, attachmentId: string) {
  await readableOrder(ctx, ctx.db, id);
  const [file] = await ctx.db
    .select()
    .from(workOrderAttachments)
    .where(and(eq(workOrderAttachments.orderId, id), eq(workOrderAttachments.id, attachmentId)));
  if (!file) throw notFound({ zh: '附件', en: 'Attachment' });
  return file;
}
