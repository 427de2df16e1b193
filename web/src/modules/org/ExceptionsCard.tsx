/** Day exceptions of a unit (a closed day, special hours): PUT/DELETE /api/units/:id/exceptions/:date. */
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, DatePicker, Flex, Form, Input, Popconfirm, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import type { DayException, UnitDetail } from '../../../../src/modules/org/contract.ts';
import { FormModal } from '../../platform/FormModal.tsx';
import { api } from '../../platform/api.ts';
import { useFeedback } from '../../platform/feedback.ts';
import { useT } from '../../platform/i18n.tsx';
import { buttonTestId } from '../../platform/testid.ts';
import { weekdayOf, WEEKDAYS } from '../../platform/labels.ts';
import { IntervalsEditor, IntervalsText, intervalsWellFormed } from './hours.tsx';
import type { Interval } from './hours.tsx';
import { messages } from './messages.ts';

interface ExceptionForm {
  date: Dayjs;
  hours: Interval[];
  note: string;
}

function ExceptionModal({
  unit,
  initial,
  onClose,
  onSaved,
}: {
  unit: UnitDetail;
  initial: DayException | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useT(messages);
  const feedback = useFeedback();
  const [form] = Form.useForm<ExceptionForm>();

  const submit = async () => {
    const v = await form.validateFields();
    const date = v.date.format('YYYY-MM-DD');
    try {
      await api.put(`/api/units/${unit.id}/exceptions/${date}`, { hours: v.hours ?? [], note: v.note ?? '' });
      feedback.success(t('saved'));
      onSaved();
    } catch (e) {
      feedback.formError(form, e);
    }
  };

  return (
    <FormModal
      title={initial ? t('editException') : t('addException')}
      onCancel={onClose}
      onSubmit={submit}
      width={640}
      okButtonProps={buttonTestId('exception-save')}
    >
      <Form<ExceptionForm>
        form={form}
        layout="vertical"
        initialValues={{
          date: initial ? dayjs(initial.date) : undefined,
          hours: initial?.hours ?? [],
          note: initial?.note ?? '',
        }}
      >
        <Form.Item name="date" label={t('date')} rules={[{ required: true, message: t('dateRequired') }]}>
          <DatePicker disabled={initial !== null} style={{ width: 200 }} data-testid="exception-date" />
        </Form.Item>
        <Form.Item
          name="hours"
          label={t('hours')}
          extra={t('hoursHint')}
          rules={[
            {
              validator: async (_r, value: Interval[] | undefined) => {
                if (value && !intervalsWellFormed(value)) throw new Error(t('timeRule'));
              },
            },
          ]}
        >
          <IntervalsEditor testId="exception-hours" />
        </Form.Item>
        <Form.Item name="note" label={t('note')} rules={[{ max: 200 }]}>
          <Input maxLength={200} data-testid="exception-note" />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

export function ExceptionsCard({
  unit,
  mayEdit,
  onChanged,
}: {
  unit: UnitDetail;
  mayEdit: boolean;
  onChanged: () => void;
}) {
  const { t, pick } = useT(messages);
  const feedback = useFeedback();
  const [editing, setEditing] = useState<DayException | null | undefined>(undefined);

  const remove = async (date: string) => {
    try {
      await api.del(`/api/units/${unit.id}/exceptions/${date}`);
      feedback.success(t('deleted'));
      onChanged();
    } catch (e) {
      feedback.error(e);
    }
  };

  const rows = [...unit.exceptions].sort((a, b) => a.date.localeCompare(b.date));
  return (
    <Card
      title={t('exceptions')}
      styles={{ body: { padding: 0 } }}
      extra={
        mayEdit && (
          <Button icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="exception-add">
            {t('addException')}
          </Button>
        )
      }
    >
      <Table<DayException>
        size="small"
        rowKey="date"
        dataSource={rows}
        pagination={rows.length > 10 ? { pageSize: 10 } : false}
        locale={{ emptyText: t('noExceptions') }}
        data-testid="exceptions-table"
        columns={[
          { title: t('date'), dataIndex: 'date', width: 120 },
          { title: t('weekday'), width: 80, render: (_, r) => pick(WEEKDAYS[weekdayOf(r.date)]!) },
          {
            title: t('hours'),
            render: (_, r) =>
              r.hours.length === 0 ? (
                <Tag color="red">{t('closedAllDay')}</Tag>
              ) : (
                <IntervalsText intervals={r.hours} />
              ),
          },
          { title: t('note'), dataIndex: 'note', ellipsis: true },
          ...(mayEdit
            ? [
                {
                  title: t('actions'),
                  width: 110,
                  render: (_: unknown, r: DayException) => (
                    <Flex gap={4}>
                      <Button
                        size="small"
                        type="text"
                        icon={<EditOutlined />}
                        aria-label={t('edit')}
                        onClick={() => setEditing(r)}
                      />
                      <Popconfirm
                        title={t('confirmDelete')}
                        okText={t('delete')}
                        cancelText={t('cancel')}
                        onConfirm={() => void remove(r.date)}
                      >
                        <Button
                          size="small"
                          type="text"
                          danger
                          icon={<DeleteOutlined />}
                          aria-label={t('delete')}
                        />
                      </Popconfirm>
                    </Flex>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing !== undefined && (
        <ExceptionModal
          unit={unit}
          initial={editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            onChanged();
          }}
        />
      )}
    </Card>
  );
}
