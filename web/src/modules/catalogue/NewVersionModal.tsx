/**
 * A province's new catalogue version, made from a copy of the one shown: the fixed fees, the notes for the
 * clerk and the retention offers edited here, or the whole list of types imported from a JSON file. The
 * server checks it (`validateCatalogue`) and lists what is wrong; nothing is stored until it is right.
 */
import {
  Alert,
  Button,
  Collapse,
  Flex,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Typography,
  Upload,
} from 'antd';
import { useEffect, useState } from 'react';
import type { BusinessType } from '../../../../src/core/business-catalogue.ts';
import type { CatalogueInForce } from '../../../../src/modules/catalogue/contract.ts';
import type { z } from 'zod';
import { ApiError, api } from '../../platform/api.ts';
import { useFeedback } from '../../platform/feedback.ts';
import { useT } from '../../platform/i18n.tsx';
import { CLUB_TIER_CODES, CLUB_TIERS } from '../../platform/labels.ts';
import { messages } from './messages.ts';

type Catalogue = z.infer<typeof CatalogueInForce>;
type Offer = Catalogue['retentionOffers'][number];

/** The next free version id after `base`: `yc-2026.1` → `yc-2026.2`, else `<base>.1`. */
function nextVersionId(base: string): string {
  const m = /^(.*\.)(\d+)$/.exec(base);
  return m ? `${m[1]}${Number(m[2]) + 1}` : `${base}.1`;
}

export function NewVersionModal(props: {
  open: boolean;
  base: Catalogue;
  ownerId: string;
  onClose: () => void;
  onStored: (versionId: string) => void;
}) {
  const { t, pick, lang } = useT(messages);
  const feedback = useFeedback();
  const [versionId, setVersionId] = useState('');
  const [types, setTypes] = useState<BusinessType[]>([]);
  const [offers, setOffers] = useState<Offer[]>([]);
  const [problems, setProblems] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!props.open) return;
    setVersionId(nextVersionId(props.base.versionId));
    setTypes(structuredClone(props.base.types));
    setOffers(structuredClone(props.base.retentionOffers));
    setProblems([]);
  }, [props.open, props.base]);

  const patchType = (code: string, change: (t: BusinessType) => void) =>
    setTypes((list) =>
      list.map((x) => {
        if (x.code !== code) return x;
        const copy = structuredClone(x);
        change(copy);
        return copy;
      }),
    );
  const patchOffer = (i: number, change: Partial<Offer>) =>
    setOffers((list) => list.map((o, j) => (j === i ? { ...o, ...change } : o)));

  const importFile = async (file: File) => {
    try {
      const parsed = JSON.parse(await file.text()) as { types?: unknown; retentionOffers?: unknown };
      if (!Array.isArray(parsed.types)) throw new Error('no types');
      setTypes(parsed.types as BusinessType[]);
      if (Array.isArray(parsed.retentionOffers)) setOffers(parsed.retentionOffers as Offer[]);
      feedback.success(t('imported', { n: parsed.types.length }));
    } catch {
      feedback.error(new Error(t('importFailed')));
    }
    return false;
  };

  const store = async () => {
    setSaving(true);
    setProblems([]);
    try {
      await api.post('/api/business-types/versions', {
        unitId: props.ownerId,
        versionId,
        basedOn: props.base.versionId,
        types,
        retentionOffers: offers,
      });
      feedback.success(t('storedOk'));
      props.onStored(versionId);
    } catch (e) {
      if (e instanceof ApiError && e.problem.errors?.length) {
        setProblems(e.problem.errors.map((p) => `${p.path.replace(/^body\./, '')}: ${p.messages[lang]}`));
      } else if (e instanceof ApiError) {
        setProblems([e.messageIn(lang)]);
      } else feedback.error(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={props.open}
      width={1040}
      title={t('dialogTitle', { version: props.base.versionId })}
      onCancel={props.onClose}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={props.onClose}>{t('cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => void store()} data-testid="catalogue-store">
            {t('store')}
          </Button>
        </Space>
      }
    >
      <Flex vertical gap={12} data-testid="catalogue-dialog">
        <Flex gap={12} align="center" wrap>
          <Typography.Text>{t('versionId')}</Typography.Text>
          <Input
            value={versionId}
            onChange={(e) => setVersionId(e.target.value.trim())}
            style={{ maxWidth: 240 }}
            maxLength={60}
            data-testid="catalogue-version-id"
          />
          <Typography.Text type="secondary">{t('versionIdHelp')}</Typography.Text>
          <Upload accept="application/json,.json" showUploadList={false} beforeUpload={importFile}>
            <Button data-testid="catalogue-import">{t('importJson')}</Button>
          </Upload>
        </Flex>
        {problems.length > 0 && (
          <Alert
            type="error"
            showIcon
            title={t('problems')}
            description={
              <ul style={{ margin: 0, paddingLeft: 20 }} data-testid="catalogue-problems">
                {problems.slice(0, 20).map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            }
          />
        )}
        <div style={{ maxHeight: '48vh', overflowY: 'auto' }}>
          <Collapse
            size="small"
            items={types.map((type) => ({
              key: type.code,
              label: `${pick(type)} · ${type.code}`,
              children: (
                <Flex vertical gap={8}>
                  {type.fee.kind === 'fixed' && (
                    <Flex gap={8} align="center">
                      <Typography.Text>{t('feeYuan')}</Typography.Text>
                      <InputNumber<number>
                        min={0}
                        max={1_000_000}
                        step={1}
                        precision={2}
                        value={type.fee.fen / 100}
                        onChange={(v) =>
                          patchType(type.code, (x) => {
                            x.fee = { kind: 'fixed', fen: Math.round((v ?? 0) * 100) };
                          })
                        }
                        data-testid={`catalogue-fee-${type.code}`}
                      />
                    </Flex>
                  )}
                  <Typography.Text>{t('notesZh')}</Typography.Text>
                  <Input.TextArea
                    autoSize={{ minRows: 2, maxRows: 6 }}
                    maxLength={2000}
                    value={type.notes.zh}
                    onChange={(e) => patchType(type.code, (x) => void (x.notes.zh = e.target.value))}
                  />
                  <Typography.Text>{t('notesEn')}</Typography.Text>
                  <Input.TextArea
                    autoSize={{ minRows: 2, maxRows: 6 }}
                    maxLength={2000}
                    value={type.notes.en}
                    onChange={(e) => patchType(type.code, (x) => void (x.notes.en = e.target.value))}
                  />
                </Flex>
              ),
            }))}
          />
        </div>
        <Typography.Text strong>{t('offers')}</Typography.Text>
        {offers.map((o, i) => (
          <Flex key={i} gap={8} align="center" data-testid="catalogue-offer">
            <Input
              placeholder={t('offerCode')}
              value={o.code}
              maxLength={40}
              style={{ width: 140, flex: 'none' }}
              onChange={(e) => patchOffer(i, { code: e.target.value.trim() })}
            />
            <Input
              placeholder={t('offerZh')}
              value={o.zh}
              maxLength={60}
              style={{ width: 190, flex: 'none' }}
              onChange={(e) => patchOffer(i, { zh: e.target.value })}
            />
            <Input
              placeholder={t('offerEn')}
              value={o.en}
              maxLength={120}
              style={{ width: 240, flex: 'none' }}
              onChange={(e) => patchOffer(i, { en: e.target.value })}
            />
            <Select
              mode="multiple"
              placeholder={t('offerTiers')}
              value={o.tiers}
              style={{ flex: 1, minWidth: 0 }}
              maxTagCount="responsive"
              onChange={(tiers) => patchOffer(i, { tiers })}
              options={CLUB_TIER_CODES.map((c) => ({ value: c, label: pick(CLUB_TIERS[c]) }))}
            />
            <Button danger size="small" onClick={() => setOffers((l) => l.filter((_, j) => j !== i))}>
              {t('remove')}
            </Button>
          </Flex>
        ))}
        <div>
          <Button
            size="small"
            onClick={() => setOffers((l) => [...l, { code: '', zh: '', en: '', tiers: ['ordinary'] }])}
            data-testid="catalogue-add-offer"
          >
            {t('addOffer')}
          </Button>
        </div>
      </Flex>
    </Modal>
  );
}
