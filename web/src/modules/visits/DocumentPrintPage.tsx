/**
 * /visits/:visitId/print — the signed document (一单清) of a visit laid out for A4 print: the sheet the PDF
 * shows (DocumentSheet), a toolbar that does not print (print, PDF, reprint a copy, language, back).
 * `?copy=true` shows the latest reprint, marked 副本/COPY n with the original's SHA-256 (like
 * `GET /api/visits/{id}/document.pdf?copy=true`). Reads `GET /api/visits/{id}/document` (VisitDocument).
 */
import { FilePdfOutlined, PrinterOutlined, CopyOutlined, ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, Button, Result, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import type { z } from 'zod';
import type { VisitDocument } from '../../../../src/modules/visits/contract.ts';
import { api, errorText } from '../../platform/api.ts';
import { useFeedback } from '../../platform/feedback.ts';
import { useT } from '../../platform/i18n.tsx';
import { LangSwitch } from '../../platform/Layout.tsx';
import { DocumentSheet } from './DocumentSheet.tsx';

type Doc = z.infer<typeof VisitDocument>;

const messages = {
  title: { zh: '业务受理单', en: 'Acceptance document' },
  print: { zh: '打印', en: 'Print' },
  pdf: { zh: 'PDF', en: 'PDF' },
  reprint: { zh: '补打副本', en: 'Reprint a copy' },
  reprinted: { zh: '已登记补打，第 {n} 份副本', en: 'Reprint recorded: copy {n}' },
  original: { zh: '原件', en: 'Original' },
  copyOf: { zh: '副本 {n}', en: 'Copy {n}' },
  showOriginal: { zh: '查看原件', en: 'Show the original' },
  showCopy: { zh: '查看副本', en: 'Show the copy' },
  back: { zh: '返回', en: 'Back' },
  voided: { zh: '本单已作废', en: 'This document has been voided' },
  loadFailed: { zh: '无法读取业务受理单', en: 'The document could not be read' },
  retry: { zh: '重试', en: 'Retry' },
  badSignature: { zh: '签名图像无效', en: 'The signature image is not valid' },
};

const PNG_DATA_URL = /^data:image\/png;base64,[A-Za-z0-9+/=]+$/;

export default function DocumentPrintPage() {
  const { visitId = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const navigate = useNavigate();
  const feedback = useFeedback();
  const { t, lang } = useT(messages);
  const [doc, setDoc] = useState<Doc | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const wantCopy = search.get('copy') === 'true';

  const load = useCallback(() => {
    setProblem(null);
    api
      .get<Doc>(`/api/visits/${encodeURIComponent(visitId)}/document`)
      .then(setDoc)
      .catch(setProblem);
  }, [visitId]);
  useEffect(load, [load]);

  const reprint = async () => {
    setBusy(true);
    try {
      await api.post(`/api/visits/${encodeURIComponent(visitId)}/reprint`);
      const next = await api.get<Doc>(`/api/visits/${encodeURIComponent(visitId)}/document`);
      setDoc(next);
      setSearch({ copy: 'true' });
      feedback.success(t('reprinted', { n: next.copies }));
    } catch (e) {
      feedback.error(e);
    } finally {
      setBusy(false);
    }
  };

  if (problem !== null) {
    return (
      <Result
        status="warning"
        title={t('loadFailed')}
        subTitle={errorText(problem, lang)}
        extra={
          <Button type="primary" onClick={load}>
            {t('retry')}
          </Button>
        }
      />
    );
  }
  if (doc === null) return <Spin size="large" style={{ display: 'block', margin: '20vh auto' }} />;

  const copy = wantCopy && doc.copies > 0 ? doc.copies : null;
  const pdfHref = `/api/visits/${encodeURIComponent(visitId)}/document.pdf${copy === null ? '' : '?copy=true'}`;
  return (
    <div className="fuwu-doc-desk" data-testid="document-print-page">
      <div className="fuwu-doc-toolbar" data-testid="document-toolbar">
        <Button icon={<ArrowLeftOutlined />} onClick={() => void navigate(-1)}>
          {t('back')}
        </Button>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('title')} {doc.content.documentNo}
        </Typography.Title>
        <Tag color={copy === null ? 'blue' : 'red'} data-testid="document-which">
          {copy === null ? t('original') : t('copyOf', { n: copy })}
        </Tag>
        <span style={{ flex: 1 }} />
        {doc.copies > 0 && (
          <Button
            onClick={() => setSearch(copy === null ? { copy: 'true' } : {})}
            data-testid="document-toggle"
          >
            {copy === null ? t('showCopy') : t('showOriginal')}
          </Button>
        )}
        <Button
          icon={<CopyOutlined />}
          loading={busy}
          disabled={doc.voidedAt !== null}
          onClick={() => void reprint()}
          data-testid="document-reprint"
        >
          {t('reprint')}
        </Button>
        <Button icon={<FilePdfOutlined />} href={pdfHref} target="_blank" data-testid="document-pdf">
          {t('pdf')}
        </Button>
        <Button
          type="primary"
          icon={<PrinterOutlined />}
          onClick={() => window.print()}
          data-testid="document-print"
        >
          {t('print')}
        </Button>
        <LangSwitch />
      </div>
      {doc.voidedAt !== null && (
        <Alert type="error" showIcon title={t('voided')} style={{ width: '210mm', margin: '0 auto 12px' }} />
      )}
      {!PNG_DATA_URL.test(doc.signature) && (
        <Alert
          type="warning"
          showIcon
          title={t('badSignature')}
          style={{ width: '210mm', margin: '0 auto 12px' }}
        />
      )}
      <DocumentSheet
        content={doc.content}
        signature={PNG_DATA_URL.test(doc.signature) ? doc.signature : ''}
        copy={copy}
        originalSha256={doc.sha256}
        voided={doc.voidedAt !== null}
      />
    </div>
  );
}
