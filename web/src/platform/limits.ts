/**
 * The maximum length of a contract's text field, for the `maxLength` of its input: one place (the zod
 * contract the server validates with) for both, so the console never lets a person type what the server
 * will refuse as too long.
 */
import type { z } from 'zod';

type Def = { type?: string; innerType?: z.ZodType; in?: z.ZodType; schema?: z.ZodType };

function unwrap(s: z.ZodType): z.ZodType {
  let cur = s;
  for (let i = 0; i < 10; i++) {
    const def = (cur as unknown as { _zod: { def: Def } })._zod.def;
    const next = def.innerType ?? def.in ?? def.schema;
    if (!next) return cur;
    cur = next;
  }
  return cur;
}

/** `maxLengthOf(CreateStaff, 'name')` → 40; throws for a field without a maximum (a mistake in the page). */
export function maxLengthOf<S extends z.ZodObject>(schema: S, key: keyof S['shape'] & string): number {
  const field = unwrap(schema.shape[key] as z.ZodType);
  const max = (field as unknown as { maxLength?: number | null }).maxLength;
  if (typeof max !== 'number') throw new Error(`${key} has no maximum length`);
  return max;
}
