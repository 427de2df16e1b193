/** /calendar: national public holidays and makeup working days (调休) of a year, as months and as a table. */
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Flex,
  Form,
  Input,
  Popconfirm,
  Radio,
  Row,
  Segmented,
  Select,
  Spin,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { CalendarDay, CalendarYear } from '../../../../src/modules/calendar/contract.ts';
import { FormModal } from '../../platform/FormModal.tsx';
import { hasPermission } from '../../platform/access.ts';
import { api, errorText } from '../../platform/api.ts';
import { useMe } from '../../platform/auth.tsx';
import { useFeedback } from '../../platform/feedback.ts';
import { useT } from '../../platform/i18n.tsx';
import { weekdayOf, WEEKDAYS } from '../../platform/labels.ts';
import { common } from '../../platform/messages.ts';
import { PageTitle } from '../../platform/Page.tsx';
import { buttonTestId } from '../../platform/testid.ts';

const messages = {
  ...common,
  title: { zh: '节假日日历', en: 'Holiday calendar' },
  year: { zh: '年度', en: 'Year' },
  yearLabel: { zh: '{y} 年', en: '{y}' },
  missing: {
    zh: '该年度节假日安排尚未录入，暂按普通周末计算。国务院办公厅公布后，请系统管理员及时录入。',
    en: 'The holidays of this year have not been entered yet; plain weekends apply for now. An administrator should enter them once published.',
  },
  holiday: { zh: '法定节假日', en: 'Public holiday' },
  makeup: { zh: '调休上班', en: 'Makeup working day' },
  holidayShort: { zh: '休', en: 'Off' },
  makeupShort: { zh: '班', en: 'Work' },
  date: { zh: '日期', en: 'Date' },
  weekday: { zh: '星期', en: 'Weekday' },
  kind: { zh: '类型', en: 'Kind' },
  dayName: { zh: '名称', en: 'Name' },
  addDay: { zh: '新增日期', en: 'Add a day' },
  editDay: { zh: '修改日期', en: 'Edit day' },
  nameRule: { zh: '1–40 个字符，如「春节」', en: '1 to 40 characters, e.g. 春节 (Spring Festival)' },
  dateRequired: { zh: '请选择日期', en: 'Choose a date' },
  months: { zh: '月历', en: 'Months' },
  table: { zh: '列表', en: 'List' },
  holidays: { zh: '节假日 {n} 天', en: '{n} holidays' },
  makeups: { zh: '调休上班 {n} 天', en: '{n} makeup working days' },
  noDays: { zh: '该年度没有录入任何日期', en: 'No days entered for this year' },
  clickToEdit: { zh: '点击日期可新增或修改', en: 'Click a day to add or edit it' },
  monthName: { zh: '{m} 月', en: '{m}' },
};

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface DayForm {
  date: Dayjs;
  kind: CalendarDay['kind'];
  name: string;
}

function DayModal({
  initial,
  date,
  onClose,
  onSaved,
  onDelete,
}: {
  initial: CalendarDay | null;
  date: string | null;
  onClose: () => void;
  onSaved: () => void;
  onDelete: (date: string) => void;
}) {
  const { t } = useT(messages);
  const feedback = useFeedback();
  const [form] = Form.useForm<DayForm>();

  const submit = async () => {
    const v = await form.validateFields();
    try {
      await api.put(`/api/calendar/days/${v.date.format('YYYY-MM-DD')}`, {
        kind: v.kind,
        name: v.name.trim(),
      });
      feedback.success(t('saved'));
      onSaved();
    } catch (e) {
      feedback.formError(form, e);
    }
  };

  return (
    <FormModal
      title={initial ? t('editDay') : t('addDay')}
      onCancel={onClose}
      onSubmit={submit}
      width={460}
      okButtonProps={buttonTestId('calendar-day-save')}
      footer={(_, { OkBtn, CancelBtn }) => (
        <Flex justify="space-between">
          <span>
            {initial && (
              <Popconfirm
                title={t('confirmDelete')}
                okText={t('delete')}
                cancelText={t('cancel')}
                onConfirm={() => onDelete(initial.date)}
              >
                <Button danger icon={<DeleteOutlined />} data-testid="calendar-day-delete">
                  {t('delete')}
                </Button>
              </Popconfirm>
            )}
          </span>
          <Flex gap={8}>
            <CancelBtn />
            <OkBtn />
          </Flex>
        </Flex>
      )}
    >
      <Form<DayForm>
        form={form}
        layout="vertical"
        initialValues={{
          date: initial ? dayjs(initial.date) : date ? dayjs(date) : undefined,
          kind: initial?.kind ?? 'holiday',
          name: initial?.name ?? '',
        }}
        onValuesChange={(changed: Partial<DayForm>) => {
          if (changed.kind === 'makeup_workday' && !form.getFieldValue('name'))
            form.setFieldValue('name', '调休上班');
        }}
      >
        <Form.Item name="date" label={t('date')} rules={[{ required: true, message: t('dateRequired') }]}>
          <DatePicker disabled={initial !== null} style={{ width: '100%' }} data-testid="calendar-day-date" />
        </Form.Item>
        <Form.Item name="kind" label={t('kind')}>
          <Radio.Group
            data-testid="calendar-day-kind"
            options={[
              { value: 'holiday', label: t('holiday') },
              { value: 'makeup_workday', label: t('makeup') },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('dayName')}
          rules={[{ required: true, whitespace: true, max: 40, message: t('nameRule') }]}
        >
          <Input maxLength={40} placeholder="春节 / 国庆节 / 调休上班" data-testid="calendar-day-name" />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

function MonthGrid({
  year,
  month,
  byDate,
  onPick,
}: {
  year: number;
  month: number;
  byDate: Map<string, CalendarDay>;
  onPick?: (date: string) => void;
}) {
  const { t, pick, lang } = useT(messages);
  const first = new Date(Date.UTC(year, month, 1));
  const days = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7;
  const cells: (number | null)[] = [
    ...Array.from({ length: lead }, () => null),
    ...Array.from({ length: days }, (_, i) => i + 1),
  ];
  while (cells.length < 42) cells.push(null);
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    <Card
      size="small"
      title={lang === 'zh-CN' ? t('monthName', { m: month + 1 }) : MONTHS_EN[month]}
      styles={{ body: { padding: 8 } }}
    >
      <div
        style={{
          display: 'grid',
          gridTemplateColumns: 'repeat(7, 1fr)',
          gap: 2,
          textAlign: 'center',
          fontSize: 12,
        }}
      >
        {WEEKDAYS.map((w, i) => (
          <div key={i} style={{ color: i >= 5 ? '#cf1322' : '#8c8c8c', paddingBottom: 2 }}>
            {pick(w).replace('周', '')}
          </div>
        ))}
        {cells.map((d, i) => {
          if (d === null) return <div key={i} style={{ height: 28 }} />;
          const date = `${year}-${pad(month + 1)}-${pad(d)}`;
          const entry = byDate.get(date);
          const weekend = i % 7 >= 5;
          const bg =
            entry?.kind === 'holiday' ? '#fff1f0' : entry?.kind === 'makeup_workday' ? '#e6f4ff' : undefined;
          const color =
            entry?.kind === 'holiday'
              ? '#cf1322'
              : entry?.kind === 'makeup_workday'
                ? '#0958d9'
                : weekend
                  ? '#ff7875'
                  : undefined;
          const cell = (
            <div
              onClick={onPick ? () => onPick(date) : undefined}
              data-testid={`calendar-cell-${date}`}
              style={{
                position: 'relative',
                padding: '3px 0 9px',
                borderRadius: 4,
                background: bg,
                color,
                cursor: onPick ? 'pointer' : 'default',
                fontWeight: entry ? 600 : undefined,
                lineHeight: '16px',
              }}
            >
              {d}
              {entry && (
                <span
                  style={{
                    position: 'absolute',
                    left: 0,
                    right: 0,
                    bottom: 0,
                    fontSize: 9,
                    lineHeight: '10px',
                  }}
                >
                  {entry.kind === 'holiday' ? t('holidayShort') : t('makeupShort')}
                </span>
              )}
            </div>
          );
          return entry ? (
            <Tooltip key={i} title={`${date} ${entry.name}`}>
              {cell}
            </Tooltip>
          ) : (
            <div key={i}>{cell}</div>
          );
        })}
      </div>
    </Card>
  );
}

export default function CalendarPage() {
  const me = useMe();
  const { t, pick, lang } = useT(messages);
  const feedback = useFeedback();
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const [data, setData] = useState<CalendarYear | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [view, setView] = useState<'months' | 'table'>('months');
  const [editing, setEditing] = useState<{ day: CalendarDay | null; date: string | null } | null>(null);
  const mayWrite = hasPermission(me, 'calendar.write');

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setData(await api.get<CalendarYear>(`/api/calendar/${year}`));
    } catch (e) {
      setError(e);
      setData(null);
    } finally {
      setLoading(false);
    }
  }, [year]);

  useEffect(() => {
    void load();
  }, [load]);

  const years = useMemo(() => {
    const set = new Set<number>([
      thisYear - 1,
      thisYear,
      thisYear + 1,
      thisYear + 2,
      ...(data?.yearsWithData ?? []),
      year,
    ]);
    return [...set].sort((a, b) => a - b);
  }, [thisYear, data, year]);

  const days = useMemo(() => [...(data?.days ?? [])].sort((a, b) => a.date.localeCompare(b.date)), [data]);
  const byDate = useMemo(() => new Map(days.map((d) => [d.date, d])), [days]);
  const holidayCount = days.filter((d) => d.kind === 'holiday').length;
  const makeupCount = days.length - holidayCount;

  const remove = async (date: string) => {
    try {
      await api.del(`/api/calendar/days/${date}`);
      feedback.success(t('deleted'));
      void load();
    } catch (e) {
      feedback.error(e);
    }
  };

  return (
    <div data-testid="page-calendar">
      <PageTitle
        title={t('title')}
        extra={
          <>
            <Select<number>
              value={year}
              onChange={setYear}
              style={{ width: 120 }}
              options={years.map((y) => ({ value: y, label: t('yearLabel', { y }) }))}
              data-testid="calendar-year"
              aria-label={t('year')}
            />
            <Segmented<'months' | 'table'>
              value={view}
              onChange={setView}
              options={[
                { value: 'months', label: t('months') },
                { value: 'table', label: t('table') },
              ]}
              data-testid="calendar-view"
            />
            {mayWrite && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setEditing({ day: null, date: null })}
                data-testid="calendar-add"
              >
                {t('addDay')}
              </Button>
            )}
          </>
        }
      />
      {error !== null && (
        <Alert type="error" showIcon title={errorText(error, lang)} style={{ marginBottom: 16 }} />
      )}
      {data?.missing && (
        <Alert
          type="warning"
          showIcon
          title={t('missing')}
          style={{ marginBottom: 16 }}
          data-testid="calendar-missing"
        />
      )}
      <Flex gap={8} style={{ marginBottom: 12 }} wrap align="center">
        <Tag color="red">{t('holidays', { n: holidayCount })}</Tag>
        <Tag color="blue">{t('makeups', { n: makeupCount })}</Tag>
        {mayWrite && view === 'months' && (
          <Typography.Text type="secondary">{t('clickToEdit')}</Typography.Text>
        )}
      </Flex>
      <Spin spinning={loading}>
        {view === 'months' ? (
          <Row gutter={[12, 12]} data-testid="calendar-months">
            {Array.from({ length: 12 }, (_, m) => (
              <Col key={m} xs={24} sm={12} lg={8} xxl={6}>
                <MonthGrid
                  year={year}
                  month={m}
                  byDate={byDate}
                  onPick={
                    mayWrite ? (date) => setEditing({ day: byDate.get(date) ?? null, date }) : undefined
                  }
                />
              </Col>
            ))}
          </Row>
        ) : (
          <Table<CalendarDay>
            rowKey="date"
            size="small"
            dataSource={days}
            pagination={false}
            data-testid="calendar-table"
            locale={{ emptyText: t('noDays') }}
            columns={[
              { title: t('date'), dataIndex: 'date', width: 130 },
              { title: t('weekday'), width: 90, render: (_, r) => pick(WEEKDAYS[weekdayOf(r.date)]!) },
              {
                title: t('kind'),
                dataIndex: 'kind',
                width: 160,
                render: (k: CalendarDay['kind']) =>
                  k === 'holiday' ? (
                    <Tag color="red">{t('holiday')}</Tag>
                  ) : (
                    <Tag color="blue">{t('makeup')}</Tag>
                  ),
              },
              { title: t('dayName'), dataIndex: 'name' },
              ...(mayWrite
                ? [
                    {
                      title: t('actions'),
                      width: 110,
                      render: (_: unknown, r: CalendarDay) => (
                        <Flex gap={4}>
                          <Button
                            size="small"
                            type="text"
                            icon={<EditOutlined />}
                            aria-label={t('edit')}
                            onClick={() => setEditing({ day: r, date: r.date })}
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
        )}
      </Spin>
      {editing && (
        <DayModal
          initial={editing.day}
          date={editing.date}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void load();
          }}
          onDelete={(date) => {
            setEditing(null);
            void remove(date);
          }}
        />
      )}
    </div>
  );
}
