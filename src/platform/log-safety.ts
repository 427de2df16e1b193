/**
 * What of an error may go into a log: its kind, a masked message, the statement's shape and the masked shape
 * of its inputs — never the values. Database errors carry the values a customer typed (Drizzle's
 * `DrizzleQueryError` has `.query` and `.params`, its `.cause` the driver's error with a `.detail` such as
 * `Key (phone)=(13812345678) already exists`; drivers' errors may carry `.query` and `.params` too), so every log
 * line of an error goes through `safeError` (the logger's `err` serializer, the CLI, the database's own
 * console lines). Fields are copied from an allow-list, so a field a driver adds later does not leak.
 */

export type SafeError = {
  type: string;
  message: string;
  code?: string;
  statusCode?: number;
  /** The first words of the statement and the table it names, e.g. `insert into customers`. */
  statement?: string;
  /** The shape of each input of the statement: `text(11)`, `number`, `null` … */
  inputs?: string[];
  detail?: string;
  table?: string;
  column?: string;
  constraint?: string;
  dataType?: string;
  routine?: string;
  /** The frames of the stack, without its first line (which repeats the unmasked message). */
  stack: string;
  cause?: SafeError;
};

/** Names PostgreSQL puts in quotes after these words are identifiers, not values. */
const IDENTIFIER_BEFORE =
  /(constraint|relation|column|table|type|function|index|schema|database|role|channel|statement|operator|sequence|view|trigger|extension|encoding|parameter|savepoint|cursor|portal)\s*$/i;

/** Masks what may be a value in a message: quoted text (except identifiers), `=(…)` keys, long digit runs. */
export function maskText(text: string): string {
  let out = text.replace(
    /(contains|row) \((.*)\)/g,
    (_m, w: string, v: string) => `${w} (${v.split(',').length} values)`,
  );
  out = out.replace(
    /\)=\((.*?)\)(?= (already exists|is not present|conflicts|is duplicated)|\.|$)/g,
    (_m, v: string) => `)=(${shapeOf(v)})`,
  );
  out = out.replace(/"([^"]*)"/g, (m, v: string, offset: number) =>
    IDENTIFIER_BEFORE.test(out.slice(Math.max(0, offset - 24), offset)) && /^[A-Za-z_][\w.$]*$/.test(v)
      ? m
      : `"${shapeOf(v)}"`,
  );
  out = out.replace(/'([^']*)'/g, (_m, v: string) => `'${shapeOf(v)}'`);
  // A safety net for values outside quotes (a phone, an ID number): no run of 5 or more digits stays.
  // Names and addresses typed in Chinese: no run of non-ASCII text stays either (PostgreSQL speaks English).
  out = out.replace(/[^\t\n\x20-\x7e]+/g, (m) => `<${shapeOf(m)}>`);
  out = out.replace(/\d{5,}/g, (d) => `<digits:${d.length}>`);
  return out;
}

/** The shape of a value, never the value: `text(11)`, `number`, `boolean`, `date`, `null`, `json(42)`. */
export function shapeOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return `text(${[...value].length})`;
  if (typeof value === 'number' || typeof value === 'bigint') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (value instanceof Date) return 'date';
  if (Array.isArray(value)) return `array(${value.length})`;
  if (value instanceof Uint8Array) return `bytes(${value.length})`;
  try {
    return `json(${JSON.stringify(value).length})`;
  } catch {
    return 'object';
  }
}

/** `insert into "customers" ("id", …) values ($1, …)` → `insert into customers`. */
export function statementShape(query: string): string {
  const q = query.replace(/\s+/g, ' ').trim();
  const head =
    /^(with\b.*?\)\s*)?(select|insert|update|delete|create|alter|drop|lock|notify|listen|begin|commit|rollback|truncate|set|show|explain)\b/i.exec(
      q,
    );
  const verb =
    head?.[2]?.toLowerCase() ??
    q
      .split(' ')[0]
      ?.toLowerCase()
      .replace(/[^a-z]/g, '') ??
    '';
  const table = /\b(?:from|into|update|table|join)\s+("?[\w.]+"?(?:\."?\w+"?)?)/i
    .exec(q)?.[1]
    ?.replace(/"/g, '');
  const shape = verb === 'insert' ? `insert into ${table ?? '?'}` : table ? `${verb} ${table}` : verb;
  return maskText(shape.slice(0, 80));
}

const COPIED = ['table', 'column', 'constraint', 'dataType', 'routine'] as const;

function stackFrames(stack: unknown): string | undefined {
  if (typeof stack !== 'string') return undefined;
  const frames = stack.split('\n').filter((l) => /^\s+at /.test(l));
  return frames.length > 0 ? frames.slice(0, 12).join('\n') : undefined;
}

/** What may be logged of an error (see the module's header). */
export function safeError(error: unknown, depth = 0): SafeError {
  if (!(error instanceof Error) && (typeof error !== 'object' || error === null)) {
    return { type: typeof error, message: maskText(String(error)), stack: '' };
  }
  const e = error as Error & Record<string, unknown>;
  const isQueryError = typeof e.query === 'string' && e.message.startsWith('Failed query:');
  const out: SafeError = {
    type: e.constructor?.name ?? e.name ?? 'Error',
    message: isQueryError ? 'Failed query' : maskText(String(e.message ?? '')),
    stack: stackFrames(e.stack) ?? '',
  };
  if (typeof e.code === 'string') out.code = e.code;
  if (typeof e.statusCode === 'number') out.statusCode = e.statusCode;
  if (typeof e.query === 'string') out.statement = statementShape(e.query);
  if (Array.isArray(e.params)) out.inputs = e.params.map(shapeOf);
  if (typeof e.detail === 'string') out.detail = maskText(e.detail);
  for (const k of COPIED) if (typeof e[k] === 'string') out[k] = maskText(e[k]);
  if (e.cause !== undefined && depth < 3) out.cause = safeError(e.cause, depth + 1);
  return out;
}

/** One line for a console: the kind, the masked message, the statement's shape and code. */
export function safeErrorText(error: unknown): string {
  const parts: string[] = [];
  for (let s: SafeError | undefined = safeError(error); s; s = s.cause) {
    parts.push(
      [
        s.message,
        s.code && `[${s.code}]`,
        s.statement && `(${s.statement}${s.inputs ? `; inputs ${s.inputs.join(', ')}` : ''})`,
        s.detail,
      ]
        .filter(Boolean)
        .join(' '),
    );
  }
  return parts.join(': ');
}
