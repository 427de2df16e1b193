/**
 * Inputs carry their maximum length: every text input of the console (antd Input, TextArea, Search,
 * Password) has a `maxLength`, and where it names a contract's field (`maxLengthOf(Schema, 'field')`) the
 * length is the contract's own, so the input and the server's check cannot disagree.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { maxLengthOf } from '../../web/src/platform/limits.ts';

const WEB = join(import.meta.dirname, '..', '..', 'web', 'src');
function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out);
    else if (name.endsWith('.tsx')) out.push(p);
  }
  return out;
}

/** The opening tags of text inputs in a file: `<Input …>`, `<Input.TextArea …>`, `<TextArea …>` … */
function inputTags(src: string): string[] {
  const tags: string[] = [];
  const re = /<(Input(?:\.(?:TextArea|Search|Password))?|TextArea)(?=[\s/>])/g;
  for (const m of src.matchAll(re)) {
    // the tag runs to the first `>` outside braces
    let depth = 0;
    let i = m.index + m[0].length;
    for (; i < src.length; i++) {
      const c = src[i];
      if (c === '{') depth++;
      else if (c === '}') depth--;
      else if (c === '>' && depth === 0) break;
    }
    tags.push(src.slice(m.index, i + 1));
  }
  return tags;
}

describe('maximum lengths', () => {
  it('every text input of the console has a maxLength', () => {
    const missing: string[] = [];
    let n = 0;
    for (const f of files(WEB)) {
      for (const tag of inputTags(readFileSync(f, 'utf8'))) {
        n++;
        if (!/\bmaxLength=/.test(tag))
          missing.push(`${f.slice(WEB.length + 1)}: ${tag.replace(/\s+/g, ' ').slice(0, 90)}`);
      }
    }
    expect(missing).toEqual([]);
    expect(n).toBeGreaterThan(40);
  });

  it('maxLengthOf reads the contract, through optional, default, trim and nullable', () => {
    const S = z.object({
      a: z.string().max(12),
      b: z.string().trim().max(30).optional(),
      c: z.string().max(40).default(''),
      d: z.string().max(5).nullable(),
      e: z.number(),
    });
    expect(maxLengthOf(S, 'a')).toBe(12);
    expect(maxLengthOf(S, 'b')).toBe(30);
    expect(maxLengthOf(S, 'c')).toBe(40);
    expect(maxLengthOf(S, 'd')).toBe(5);
    expect(() => maxLengthOf(S, 'e')).toThrow();
  });
});
