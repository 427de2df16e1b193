/**
 * A dialog around a form: Save and Cancel (or its own `okText`), busy while `onSubmit` runs, its content
 * dropped when it closes. `onSubmit` does the work and reports its own errors (a rejection only ends the
 * busy state); the rest of antd's Modal props pass through.
 */
import type { ModalProps } from 'antd';
import { Modal } from 'antd';
import { useState } from 'react';
import { useT } from './i18n.tsx';
import { common } from './messages.ts';

export function FormModal({
  onSubmit,
  ...props
}: Omit<ModalProps, 'open' | 'onOk' | 'confirmLoading'> & { onSubmit: () => Promise<void> }) {
  const { t } = useT(common);
  const [busy, setBusy] = useState(false);
  const submit = () => {
    setBusy(true);
    void onSubmit()
      .catch(() => undefined)
      .finally(() => setBusy(false));
  };
  return (
    <Modal
      okText={t('save')}
      cancelText={t('cancel')}
      destroyOnHidden
      {...props}
      open
      onOk={submit}
      confirmLoading={busy}
    />
  );
}
