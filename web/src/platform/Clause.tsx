/**
 * Clause references of the norms ("2§3.5.2") shown in words: the reference with a dotted underline and a
 * tooltip giving the clause's title and what it says (`src/platform/clauses.ts`).
 */
import { Tooltip } from 'antd';
import type { ReactNode } from 'react';
import { CLAUSE_REF, clauseOf } from '../../../src/platform/clauses.ts';
import { useLang } from './i18n.tsx';

/** One reference, e.g. `<ClauseRef refText="2§3.6.5" />`. */
export function ClauseRef({ refText }: { refText: string }) {
  const { lang } = useLang();
  const clause = clauseOf(refText);
  if (!clause) return <span>{refText}</span>;
  const w = (b: { zh: string; en: string }) => (lang === 'en-US' ? b.en : b.zh);
  const norms = lang === 'en-US' ? 'Service norms' : '服务管理规范';
  return (
    <Tooltip
      title={
        <span data-testid="clause-tooltip">
          <strong>
            {norms} {clause.ref} {w(clause.title)}
          </strong>
          <br />
          {w(clause.text)}
        </span>
      }
    >
      <span
        data-testid="clause-ref"
        style={{ textDecoration: 'underline dotted', cursor: 'help', whiteSpace: 'nowrap' }}
      >
        {refText}
        <span style={{ fontSize: '0.9em', opacity: 0.75 }}>「{w(clause.title)}」</span>
      </span>
    </Tooltip>
  );
}

/** A text in which every clause reference is explained. */
export function WithClauses({ text }: { text: string }): ReactNode {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(CLAUSE_REF)) {
    const at = m.index ?? 0;
    if (at > last) parts.push(text.slice(last, at));
    parts.push(<ClauseRef key={at} refText={m[0]} />);
    last = at + m[0].length;
  }
  if (last === 0) return text;
  parts.push(text.slice(last));
  return <>{parts}</>;
}
