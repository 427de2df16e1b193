/**
 * The repair order's steps (2§2.1.7, checklist item 15): received → sent (to the repair centre) → returned
 * (back at the hall) → collected (by the customer). One step at a time, forward only; a spare phone lent at
 * intake comes back before or at collection. Pure: the module applies the verdict in its command.
 */
export type RepairStatus = 'received' | 'sent' | 'returned' | 'collected';
export type RepairTarget = Exclude<RepairStatus, 'received'>;

export const REPAIR_ORDER: readonly RepairStatus[] = ['received', 'sent', 'returned', 'collected'];

export type RepairStepVerdict =
  { ok: true } | { ok: false; code: 'wrong_step' | 'spare_not_returned'; zh: string; en: string };

const WORDS: Record<RepairStatus, { zh: string; en: string }> = {
  received: { zh: '已受理', en: 'received' },
  sent: { zh: '已送修', en: 'sent for repair' },
  returned: { zh: '已修复返回', en: 'back from repair' },
  collected: { zh: '客户已取机', en: 'collected' },
};

export const repairStatusWords = (s: RepairStatus) => WORDS[s];

/** May a repair at `from` take the step `to`, given whether a lent spare phone is still out? */
export function repairStep(
  from: RepairStatus,
  to: RepairTarget,
  spare: { lent: boolean; returned: boolean },
): RepairStepVerdict {
  const next = REPAIR_ORDER[REPAIR_ORDER.indexOf(from) + 1];
  if (next !== to)
    return {
      ok: false,
      code: 'wrong_step',
      zh: `维修单当前为“${WORDS[from].zh}”，${next ? `下一步只能是“${WORDS[next].zh}”` : '已完结'}`,
      en: `The repair is ${WORDS[from].en}; ${next ? `the next step can only be ${WORDS[next].en}` : 'it is finished'}`,
    };
  if (to === 'collected' && spare.lent && !spare.returned)
    return {
      ok: false,
      code: 'spare_not_returned',
      zh: '客户借用的备用机尚未归还，请先收回备用机再交还维修机',
      en: 'The spare phone lent to the customer has not come back: take it back before handing over the repaired one',
    };
  return { ok: true };
}

/** May the spare phone be taken back now? Only one lent and not yet back, before or at collection. */
export function spareReturn(
  status: RepairStatus,
  spare: { lent: boolean; returned: boolean },
): RepairStepVerdict {
  if (!spare.lent)
    return {
      ok: false,
      code: 'wrong_step',
      zh: '该维修单未借出备用机',
      en: 'No spare phone was lent with this repair',
    };
  if (spare.returned)
    return { ok: false, code: 'wrong_step', zh: '备用机已归还', en: 'The spare phone is already back' };
  if (status === 'collected')
    return { ok: false, code: 'wrong_step', zh: '维修单已完结', en: 'The repair is finished' };
  return { ok: true };
}
