/**
 * The signed document (一单清) as an A4 sheet: the same sections, in the same order, as the PDF (both come from
 * documentSections in src/modules/visits/document-sections.ts). Always bilingual, Chinese first with English
 * beneath, whatever the console's language: it is what the customer signed.
 */
import type { DocumentContent } from '../../../../src/modules/visits/contract.ts';
import { DOC_LABELS, documentSections } from '../../../../src/modules/visits/document-sections.ts';
import type { Bilingual } from '../../../../src/modules/visits/document-sections.ts';
import './document.css';

function Label({ text, testId }: { text: Bilingual; testId?: string }) {
  return (
    <span data-testid={testId}>
      {text.zh}
      <span className="en">{text.en}</span>
    </span>
  );
}

export interface DocumentSheetProps {
  content: DocumentContent;
  /** The signature as a PNG data URL. */
  signature: string;
  /** null: the original; n: the n-th copy (副本), which shows the original's hash. */
  copy: number | null;
  originalSha256: string;
  voided?: boolean;
}

export function DocumentSheet({
  content,
  signature,
  copy,
  originalSha256,
  voided = false,
}: DocumentSheetProps) {
  const s = documentSections(content);
  const L = DOC_LABELS;
  return (
    <article className="fuwu-doc" data-testid="document-sheet" lang="zh-CN">
      {(copy !== null || voided) && (
        <div className="fuwu-doc-watermark" aria-hidden>
          {voided ? '作废' : L.copy.zh}
        </div>
      )}
      <table className="fuwu-doc-frame">
        <thead>
          <tr>
            <td>
              <header className="fuwu-doc-head" data-testid="document-head">
                <div className="fuwu-doc-operator">
                  <strong>{s.operator.zh}</strong>
                  <span className="en">{s.operator.en}</span>
                </div>
                <div className="fuwu-doc-title">
                  <strong>{s.title.zh}</strong>
                  <span className="en">{s.title.en}</span>
                  <div className="fuwu-doc-no" data-testid="document-no">
                    {L.documentNo.zh} {L.documentNo.en}: {s.documentNo}
                  </div>
                </div>
              </header>
              {copy !== null && (
                <div className="fuwu-doc-copy" data-testid="document-copy">
                  <strong>
                    {L.copy.zh} {L.copy.en} {copy}
                  </strong>
                  <span>
                    {L.originalSha.zh} / {L.originalSha.en}
                    <br />
                    <span data-testid="document-sha">{originalSha256}</span>
                  </span>
                </div>
              )}
              {voided && (
                <div className="fuwu-doc-copy" data-testid="document-voided">
                  <strong>作废 VOID</strong>
                  <span>本单已作废，仅供查阅 / This document has been voided; for reference only</span>
                </div>
              )}
            </td>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>
              <div className="fuwu-doc-fields" data-testid="document-fields">
                {s.fields.map((f) => (
                  <div className="fuwu-doc-field" key={f.label.en}>
                    <Label text={f.label} />
                    <span>{f.value}</span>
                  </div>
                ))}
              </div>

              <section className="fuwu-doc-section" style={{ breakInside: 'auto' }}>
                <h3>
                  <Label text={L.lines} />
                </h3>
                <table className="fuwu-doc-table" data-testid="document-lines">
                  <thead>
                    <tr>
                      <th className="seq">
                        <Label text={L.seq} />
                      </th>
                      <th className="biz">
                        <Label text={L.business} />
                      </th>
                      <th>
                        <Label text={L.details} />
                      </th>
                      <th className="num">
                        <Label text={L.fee} />
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {s.lines.map((l) => (
                      <tr key={l.seq} data-testid="document-line">
                        <td className="seq">{l.seq}</td>
                        <td className="biz">
                          <strong>{l.business.zh}</strong>
                          <span className="en">{l.business.en}</span>
                          {l.subscription && <span className="sub">{l.subscription}</span>}
                        </td>
                        <td>
                          {l.details.length === 0
                            ? '—'
                            : l.details.map((d) => (
                                <div key={d.label.en}>
                                  {d.label.zh}: {d.value}
                                </div>
                              ))}
                        </td>
                        <td className="num">{l.fee}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <div className="fuwu-doc-total" data-testid="document-total">
                  <span>
                    {L.total.zh} {L.total.en}
                  </span>
                  <span>¥ {s.total}</span>
                </div>
              </section>

              <section className="fuwu-doc-section">
                <h3>
                  <Label text={L.payments} />
                </h3>
                <table className="fuwu-doc-table" data-testid="document-payments">
                  <thead>
                    <tr>
                      <th>
                        <Label text={L.method} />
                      </th>
                      <th className="num">
                        <Label text={L.amount} />
                      </th>
                      <th className="num">
                        <Label text={L.tendered} />
                      </th>
                      <th className="num">
                        <Label text={L.change} />
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {s.payments.length === 0 ? (
                      <tr>
                        <td colSpan={4}>
                          {L.none.zh} {L.none.en}
                        </td>
                      </tr>
                    ) : (
                      s.payments.map((p, i) => (
                        <tr key={i}>
                          <td>
                            {p.method.zh} {p.method.en}
                          </td>
                          <td className="num">{p.amount}</td>
                          <td className="num">{p.tendered}</td>
                          <td className="num">{p.change}</td>
                        </tr>
                      ))
                    )}
                  </tbody>
                </table>
                <div className="fuwu-doc-paid" data-testid="document-paid">
                  {L.paid.zh} {L.paid.en} ¥ {s.paid}
                </div>
              </section>

              <section className="fuwu-doc-section">
                <h3>
                  <Label text={L.terms} />
                </h3>
                <div className="fuwu-doc-terms" data-testid="document-terms">
                  {s.terms.zh}
                  <span className="en">{s.terms.en}</span>
                </div>
              </section>

              <div className="fuwu-doc-sign">
                <div>
                  {L.clerk.zh} {L.clerk.en}: {content.clerk}
                </div>
                <div className="fuwu-doc-sign-box">
                  <div>
                    {L.signature.zh}{' '}
                    <span style={{ fontWeight: 400, fontSize: '7pt' }}>{L.signature.en}</span>
                  </div>
                  <img
                    src={signature}
                    alt={`${L.signature.zh} ${L.signature.en}`}
                    data-testid="document-signature"
                  />
                  <div>
                    {L.signedAt.zh} {L.signedAt.en}: {s.signedAt}
                  </div>
                </div>
              </div>
            </td>
          </tr>
        </tbody>
      </table>
    </article>
  );
}
