/**
 * The words for codes: every event type appended anywhere has a name in both languages, every clause of
 * the norms cited anywhere in the code base is explained, and the labels are words, not codes.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLAUSES, CLAUSE_REF, clauseOf } from './clauses.ts';
import { EVENT_TYPES, FIELD_LABELS, SUBJECT_TYPES, eventLabel, fieldLabel } from './words.ts';

const ROOT = join(import.meta.dirname, '..', '..');

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out);
    else if (/\.(ts|tsx|md)$/.test(name)) out.push(p);
  }
  return out;
}
const SOURCES = ['src', 'web/src', 'bench', 'test'].flatMap((d) => files(join(ROOT, d)));
const text = (p: string) => readFileSync(p, 'utf8');
const CJK = /[\u4e00-\u9fff]/;

describe('event types', () => {
  it('every type has a name in Chinese and in English, and no two share one', () => {
    const all = Object.entries(EVENT_TYPES);
    for (const [code, w] of all) {
      expect(w.zh, code).toMatch(CJK);
      expect(w.en, code).toMatch(/^[A-Z][^\u4e00-\u9fff]+$/);
    }
    expect(new Set(all.map(([, w]) => w.zh)).size).toBe(all.length);
    expect(new Set(all.map(([, w]) => w.en)).size).toBe(all.length);
  });

  it('every event type a command appends (any quoted module.verb given as an action) has a name', () => {
    const appended = new Set<string>();
    // The server's sources (the pages' `{ action: t('act.x') }` are words, not events).
    const server = join(ROOT, 'src') + sep;
    for (const p of SOURCES.filter((f) => !f.endsWith('.test.ts') && f.startsWith(server))) {
      const src = text(p);
      // `action: 'x.y'`, `action: c ? 'x.y' : 'x.z'`, and `ticketEvent(tx, ctx, 'x.y', …)`; not a
      // parameter's type (`action: 'x.y' | 'x.z'`).
      for (const m of src.matchAll(/action:\s*([^,\n})]+)/g))
        if (!/'\s*\|/.test(m[1]!))
          for (const q of m[1]!.matchAll(/'([a-z0-9_]+\.[a-z0-9_]+)'/g)) appended.add(q[1]!);
      for (const m of src.matchAll(/ticketEvent\(\s*tx,\s*ctx,\s*'([a-z0-9_.]+)'/g)) appended.add(m[1]!);
    }
    // policy actions (`action: 'queue.view'` in a policy table) are not events; they live in policies.
    const missing = [...appended].filter(
      (a) => !(a in EVENT_TYPES) && !/read|write|view|manage|serve|take|reveal|lookup/.test(a),
    );
    expect(missing).toEqual([]);
    expect(appended.size).toBeGreaterThan(40);
  });

  it('an unknown type from an older version is shown as stored', () => {
    expect(eventLabel('old.thing')).toEqual({ zh: 'old.thing', en: 'old.thing' });
    expect(eventLabel('ticket.called').zh).toBe('叫号');
  });

  it('subject types and field labels are words in both languages', () => {
    for (const [code, w] of [...Object.entries(SUBJECT_TYPES), ...Object.entries(FIELD_LABELS)]) {
      expect(w.zh, code).toMatch(CJK);
      expect(w.en, code).not.toMatch(CJK);
      expect(w.en, code).not.toBe(code);
    }
    expect(fieldLabel(['openingHours', 'weekly', 0, 1])).toEqual(FIELD_LABELS.weekly);
    expect(fieldLabel([])).toEqual({ zh: '输入', en: 'Input' });
  });
});

describe('clauses of the norms', () => {
  it('every clause cited anywhere in the code base is explained in both languages', () => {
    const cited = new Map<string, string>();
    for (const p of SOURCES.filter((f) => !f.endsWith('words.test.ts')))
      for (const m of text(p).matchAll(CLAUSE_REF)) cited.set(m[0], p);
    expect(cited.size).toBeGreaterThan(15);
    const missing = [...cited].filter(([ref]) => !clauseOf(ref)).map(([ref, p]) => `${ref} in ${p}`);
    expect(missing).toEqual([]);
  });

  it('each entry has a title and a text in both languages', () => {
    for (const [ref, c] of Object.entries(CLAUSES)) {
      expect(ref).toMatch(/^\d§\d+(\.\d+)*$/);
      for (const w of [c.title, c.text]) {
        expect(w.zh, ref).toMatch(CJK);
        expect(w.en.length, ref).toBeGreaterThan(3);
        expect(w.en, ref).not.toMatch(CJK);
      }
    }
  });

  it('a sub-clause falls back to its section', () => {
    expect(clauseOf('2§3.6.5.1')?.ref).toBe('2§3.6.5');
    expect(clauseOf('9§9.9')).toBeNull();
  });
});
