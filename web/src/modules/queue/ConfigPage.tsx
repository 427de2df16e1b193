/**
 * /queue/config — the queue configuration of a hall (排队配置): service categories, queues with their
 * ticket letters, segmentation rules (who goes to which queue), work profiles (the calling rules of a
 * counter), counters (normal / VIP / 3G / group, the categories they serve) and the display's notices.
 * Everyone who sees the queue may look; the hall manager edits a draft and saves it at once (PUT
 * queue-config, checked whole by the server); the notices are saved on their own.
 */
import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  DesktopOutlined,
  EditOutlined,
  PlusOutlined,
  SaveOutlined,
  UndoOutlined,
} from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { FormInstance, TableColumnsType } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { HallQueueConfig, HallQueueConfigView } from '../../../../src/modules/queue/contract.ts';
import { CategoryConfig } from '../../../../src/modules/queue/contract.ts';
import { maxLengthOf } from '../../platform/limits.ts';
import { hasPermission } from '../../platform/access.ts';
import { ApiError, api, errorText } from '../../platform/api.ts';
import { useMe } from '../../platform/auth.tsx';
import { useFeedback } from '../../platform/feedback.ts';
import { useT } from '../../platform/i18n.tsx';
import { CLUB_TIER_CODES, CLUB_TIERS } from '../../platform/labels.ts';
import { common } from '../../platform/messages.ts';
import { PageTitle } from '../../platform/Page.tsx';
import { buttonTestId } from '../../platform/testid.ts';
import { HallSelect, useHallChoice } from './hooks.tsx';
import { COUNTER_KIND_CODES, COUNTER_KINDS } from './labels.ts';

const messages = {
  ...common,
  title: { zh: '排队配置', en: 'Queue configuration' },
  readOnly: {
    zh: '您可以查看本厅的排队配置；修改请联系营业厅经理。',
    en: 'You may view the queue configuration; the hall manager changes it.',
  },
  draft: { zh: '有未保存的修改', en: 'Unsaved changes' },
  saveAll: { zh: '保存配置', en: 'Save configuration' },
  discard: { zh: '放弃修改', en: 'Discard changes' },
  savedAll: { zh: '排队配置已保存', en: 'Queue configuration saved' },
  invalid: { zh: '配置有误，未保存', en: 'The configuration is inconsistent: not saved' },
  categories: { zh: '业务类别', en: 'Categories' },
  queues: { zh: '队列', en: 'Queues' },
  segmentation: { zh: '分流规则', en: 'Segmentation' },
  profiles: { zh: '工作模式', en: 'Work profiles' },
  counters: { zh: '台席', en: 'Counters' },
  notices: { zh: '叫号屏公告', en: 'Display notices' },
  code: { zh: '代码', en: 'Code' },
  codeRule: {
    zh: '小写字母、数字、_ 或 -，最多30个字符',
    en: 'Lower-case letters, digits, _ or -, up to 30',
  },
  codeTaken: { zh: '代码已存在', en: 'This code is taken' },
  nameZh: { zh: '中文名称', en: 'Name (Chinese)' },
  nameEn: { zh: '英文名称', en: 'Name (English)' },
  queue: { zh: '队列', en: 'Queue' },
  mean: { zh: '预计办理（分钟）', en: 'Expected service (min)' },
  prefix: { zh: '号码前缀', en: 'Prefix' },
  prefixRule: { zh: '1–2个大写字母', en: 'One or two capital letters' },
  vip: { zh: 'VIP/3G时限', en: 'VIP/3G limit' },
  vipHint: { zh: '按VIP/3G等待时限（5分钟）考核', en: 'Held to the VIP/3G wait limit (5 min)' },
  when: { zh: '条件', en: 'When' },
  tiers: { zh: '俱乐部等级', en: 'Club tiers' },
  is3g: { zh: '3G客户', en: '3G customer' },
  appointment: { zh: '预约客户', en: 'Appointment' },
  any: { zh: '不限', en: 'Any' },
  yes: { zh: '是', en: 'Yes' },
  no: { zh: '否', en: 'No' },
  segHint: {
    zh: '按顺序匹配，第一条符合的规则决定客户进入的队列；都不符合时进入业务类别的默认队列。',
    en: 'Rules are tried in order; the first that matches decides the queue, else the category’s own queue.',
  },
  rules: { zh: '叫号规则', en: 'Calling rules' },
  rulesHint: {
    zh: '按顺序叫号：「队列」叫该队列等待最久者；「超时」仅在该队列有人等待超过设定分钟时优先叫。',
    en: 'Tried in order: “queue” calls its longest waiting; “overdue” calls from it only when someone has waited that long.',
  },
  ruleQueue: { zh: '队列', en: 'Queue' },
  ruleOverdue: { zh: '超时', en: 'Overdue' },
  afterMinutes: { zh: '等待超过（分钟）', en: 'After (min)' },
  addRule: { zh: '添加规则', en: 'Add a rule' },
  onlyCategories: { zh: '仅限业务类别', en: 'Only categories' },
  allCategories: { zh: '全部类别', en: 'All categories' },
  number: { zh: '窗口号', en: 'Window no.' },
  name: { zh: '名称', en: 'Name' },
  kind: { zh: '类型', en: 'Kind' },
  profile: { zh: '默认工作模式', en: 'Default profile' },
  up: { zh: '上移', en: 'Up' },
  down: { zh: '下移', en: 'Down' },
  noticeZh: { zh: '公告（中文）', en: 'Notice (Chinese)' },
  noticeEn: { zh: '公告（英文）', en: 'Notice (English)' },
  saveNotices: { zh: '保存公告', en: 'Save notices' },
  noticesSaved: { zh: '公告已保存', en: 'Notices saved' },
  addNotice: { zh: '添加公告', en: 'Add a notice' },
  noticesHint: {
    zh: '叫号屏底部滚动显示，最多10条，保存后立即生效。',
    en: 'Scrolls along the bottom of the calling display; up to 10; takes effect when saved.',
  },
  openDisplay: { zh: '预览叫号屏', en: 'Preview the display' },
  minutesN: { zh: '{n} 分钟', en: '{n} min' },
  overdueN: { zh: '超时 {n} 分钟', en: 'overdue {n} min' },
  editTitle: { zh: '编辑', en: 'Edit' },
  addTitle: { zh: '新增', en: 'Add' },
};

type Config = HallQueueConfig;
type Category = Config['categories'][number];
type Queue = Config['queues'][number];
type Segment = Config['segmentation'][number];
type Profile = Config['profiles'][number];
type Counter = Config['counters'][number];
type Notice = NonNullable<Config['notices']>[number];

const CODE = /^[a-z0-9][a-z0-9_-]{0,29}$/;

/** The editable shape of a view: ids dropped (the server keeps them by code). */
function draftOf(v: HallQueueConfigView): Config {
  return {
    categories: v.categories,
    queues: v.queues,
    segmentation: v.segmentation,
    profiles: v.profiles.map(({ id: _id, ...p }) => p),
    counters: v.counters.map(({ id: _id, ...c }) => c),
  };
}

export default function ConfigPage() {
  const me = useMe();
  const { t, lang } = useT(messages);
  const feedback = useFeedback();
  const { hallId, setHallId, halls } = useHallChoice();
  const mayEdit = hasPermission(me, 'queue.configure');
  const [view, setView] = useState<HallQueueConfigView | null>(null);
  const [draft, setDraft] = useState<Config | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);

  const load = useCallback(async () => {
    if (!hallId) return;
    setError(null);
    try {
      const v = await api.get<HallQueueConfigView>(`/api/halls/${hallId}/queue-config`);
      setView(v);
      setDraft(draftOf(v));
      setProblems([]);
    } catch (e) {
      setError(e);
      setView(null);
      setDraft(null);
    }
  }, [hallId]);

  useEffect(() => {
    void load();
  }, [load]);

  const dirty = useMemo(
    () => view !== null && draft !== null && JSON.stringify(draftOf(view)) !== JSON.stringify(draft),
    [view, draft],
  );

  const save = async () => {
    if (!hallId || !draft) return;
    setSaving(true);
    setProblems([]);
    try {
      const v = await api.put<HallQueueConfigView>(`/api/halls/${hallId}/queue-config`, draft);
      setView(v);
      setDraft(draftOf(v));
      feedback.success(t('savedAll'));
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

  const set = <K extends keyof Config>(key: K, value: Config[K]) =>
    setDraft((d) => (d ? { ...d, [key]: value } : d));

  return (
    <div data-testid="page-queue-config">
      <PageTitle
        title={t('title')}
        extra={
          <>
            {halls.length > 1 && <HallSelect halls={halls} value={hallId} onChange={setHallId} />}
            {hallId && (
              <Button icon={<DesktopOutlined />} href={`/display/${hallId}`} target="_blank">
                {t('openDisplay')}
              </Button>
            )}
            {mayEdit && (
              <>
                <Button
                  icon={<UndoOutlined />}
                  disabled={!dirty}
                  onClick={() => view && setDraft(draftOf(view))}
                >
                  {t('discard')}
                </Button>
                <Button
                  type="primary"
                  icon={<SaveOutlined />}
                  disabled={!dirty}
                  loading={saving}
                  onClick={() => void save()}
                  data-testid="config-save"
                >
                  {t('saveAll')}
                </Button>
              </>
            )}
          </>
        }
      />
      {!mayEdit && <Alert type="info" showIcon title={t('readOnly')} style={{ marginBottom: 16 }} />}
      {dirty && (
        <Alert
          type="warning"
          showIcon
          title={t('draft')}
          style={{ marginBottom: 16 }}
          data-testid="config-dirty"
        />
      )}
      {problems.length > 0 && (
        <Alert
          type="error"
          showIcon
          title={t('invalid')}
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          }
          style={{ marginBottom: 16 }}
          data-testid="config-problems"
        />
      )}
      {error !== null && <Alert type="error" showIcon title={errorText(error, lang)} />}
      {!draft && error === null && <Card loading />}
      {draft && view && (
        <Card>
          <Tabs
            items={[
              {
                key: 'categories',
                label: t('categories'),
                children: (
                  <CategoriesTab draft={draft} edit={mayEdit} onChange={(v) => set('categories', v)} />
                ),
              },
              {
                key: 'queues',
                label: t('queues'),
                children: <QueuesTab draft={draft} edit={mayEdit} onChange={(v) => set('queues', v)} />,
              },
              {
                key: 'segmentation',
                label: t('segmentation'),
                children: (
                  <SegmentationTab draft={draft} edit={mayEdit} onChange={(v) => set('segmentation', v)} />
                ),
              },
              {
                key: 'profiles',
                label: t('profiles'),
                children: <ProfilesTab draft={draft} edit={mayEdit} onChange={(v) => set('profiles', v)} />,
              },
              {
                key: 'counters',
                label: t('counters'),
                children: <CountersTab draft={draft} edit={mayEdit} onChange={(v) => set('counters', v)} />,
              },
              {
                key: 'notices',
                label: t('notices'),
                children: (
                  <NoticesTab
                    hallId={view.hallId}
                    notices={view.notices}
                    edit={mayEdit}
                    onSaved={(v) => setView((old) => (old ? { ...old, notices: v.notices } : v))}
                  />
                ),
              },
            ]}
          />
        </Card>
      )}
    </div>
  );
}

/* ----------------------------------------------------------------------------------------------- */
/* A list of entities with an edit form in a modal.                                                */
/* ----------------------------------------------------------------------------------------------- */

function EntityList<T extends object>({
  testId,
  items,
  columns,
  edit,
  onChange,
  form,
  blank,
  ordered = false,
  rowKey,
  hint,
}: {
  testId: string;
  items: T[];
  columns: TableColumnsType<T>;
  edit: boolean;
  onChange: (items: T[]) => void;
  form: (f: FormInstance<T>, editing: T | null, index: number | null) => ReactNode;
  blank: T;
  ordered?: boolean;
  rowKey: (item: T, index: number) => string;
  hint?: ReactNode;
}) {
  const { t } = useT(messages);
  const [editing, setEditing] = useState<{ index: number | null; value: T } | null>(null);
  const [f] = Form.useForm<T>();

  const submit = async () => {
    const v = await f.validateFields();
    const value = { ...editing!.value, ...v } as T;
    const next = [...items];
    if (editing!.index === null) next.push(value);
    else next[editing!.index] = value;
    onChange(next);
    setEditing(null);
  };
  const move = (i: number, by: number) => {
    const next = [...items];
    const [x] = next.splice(i, 1);
    next.splice(i + by, 0, x!);
    onChange(next);
  };

  const actions: TableColumnsType<T> = edit
    ? [
        {
          title: t('actions'),
          key: 'actions',
          width: ordered ? 200 : 130,
          render: (_: unknown, item: T, i: number) => (
            <Space size={2}>
              <Button
                size="small"
                type="link"
                icon={<EditOutlined />}
                onClick={() => setEditing({ index: i, value: item })}
                data-testid={`${testId}-edit-${i}`}
                aria-label={t('edit')}
              />
              {ordered && (
                <>
                  <Button
                    size="small"
                    type="link"
                    icon={<ArrowUpOutlined />}
                    disabled={i === 0}
                    onClick={() => move(i, -1)}
                    aria-label={t('up')}
                  />
                  <Button
                    size="small"
                    type="link"
                    icon={<ArrowDownOutlined />}
                    disabled={i === items.length - 1}
                    onClick={() => move(i, 1)}
                    aria-label={t('down')}
                  />
                </>
              )}
              <Popconfirm
                title={t('confirmDelete')}
                okText={t('ok')}
                cancelText={t('cancel')}
                onConfirm={() => onChange(items.filter((_x, j) => j !== i))}
              >
                <Button size="small" type="link" danger icon={<DeleteOutlined />} aria-label={t('delete')} />
              </Popconfirm>
            </Space>
          ),
        },
      ]
    : [];

  return (
    <>
      {(hint || edit) && (
        <Flex justify="space-between" align="center" gap={12} style={{ marginBottom: 12 }}>
          <Typography.Text type="secondary">{hint}</Typography.Text>
          {edit && (
            <Button
              icon={<PlusOutlined />}
              onClick={() => setEditing({ index: null, value: blank })}
              data-testid={`${testId}-add`}
            >
              {t('add')}
            </Button>
          )}
        </Flex>
      )}
      <Table<T>
        rowKey={(item) => rowKey(item, items.indexOf(item))}
        size="small"
        pagination={false}
        dataSource={items}
        columns={[...columns, ...actions]}
        scroll={{ x: 'max-content' }}
        data-testid={`${testId}-table`}
      />
      {editing && (
        <Modal
          open
          title={editing.index === null ? t('addTitle') : t('editTitle')}
          onCancel={() => setEditing(null)}
          onOk={() => void submit().catch(() => undefined)}
          okText={t('ok')}
          cancelText={t('cancel')}
          destroyOnHidden
          width={600}
          okButtonProps={buttonTestId(`${testId}-submit`)}
        >
          <Form<T> form={f} layout="vertical" initialValues={editing.value} preserve={false}>
            {form(f, editing.index === null ? null : editing.value, editing.index)}
          </Form>
        </Modal>
      )}
    </>
  );
}

function codeRules(taken: string[], t: (k: 'codeRule' | 'codeTaken') => string) {
  return [
    { required: true, pattern: CODE, message: t('codeRule') },
    {
      validator: (_: unknown, v: string | undefined) =>
        v && taken.includes(v) ? Promise.reject(new Error(t('codeTaken'))) : Promise.resolve(),
    },
  ];
}

interface TabProps<K extends keyof Config> {
  draft: Config;
  edit: boolean;
  onChange: (v: Config[K]) => void;
}

function useOptions(draft: Config) {
  const { pick } = useT(messages);
  return {
    queues: draft.queues.map((q) => ({
      value: q.code,
      label: `${q.prefix} · ${pick({ zh: q.name, en: q.nameEn })}`,
    })),
    categories: draft.categories.map((c) => ({ value: c.code, label: pick({ zh: c.name, en: c.nameEn }) })),
    profiles: draft.profiles.map((p) => ({ value: p.code, label: pick({ zh: p.name, en: p.nameEn }) })),
    queueName: (code: string) => {
      const q = draft.queues.find((x) => x.code === code);
      return q ? `${q.prefix} · ${pick({ zh: q.name, en: q.nameEn })}` : code;
    },
    categoryName: (code: string) => {
      const c = draft.categories.find((x) => x.code === code);
      return c ? pick({ zh: c.name, en: c.nameEn }) : code;
    },
  };
}

function NameFields() {
  const { t } = useT(messages);
  return (
    <Flex gap={12}>
      <Form.Item
        name="name"
        label={t('nameZh')}
        rules={[{ required: true, whitespace: true, max: 40 }]}
        style={{ flex: 1 }}
      >
        <Input maxLength={40} data-testid="config-name" />
      </Form.Item>
      <Form.Item
        name="nameEn"
        label={t('nameEn')}
        rules={[{ required: true, whitespace: true, max: 40 }]}
        style={{ flex: 1 }}
      >
        <Input maxLength={40} data-testid="config-name-en" />
      </Form.Item>
    </Flex>
  );
}

function CategoriesTab({ draft, edit, onChange }: TabProps<'categories'>) {
  const { t, pick } = useT(messages);
  const o = useOptions(draft);
  return (
    <EntityList<Category>
      testId="config-categories"
      items={draft.categories}
      edit={edit}
      onChange={onChange}
      rowKey={(c) => c.code}
      ordered
      blank={{ code: '', name: '', nameEn: '', queue: draft.queues[0]?.code ?? '', meanServiceMinutes: 8 }}
      columns={[
        { title: t('code'), dataIndex: 'code' },
        { title: t('name'), key: 'name', render: (_: unknown, c) => pick({ zh: c.name, en: c.nameEn }) },
        { title: t('queue'), dataIndex: 'queue', render: (q: string) => o.queueName(q) },
        { title: t('mean'), dataIndex: 'meanServiceMinutes', align: 'right' },
      ]}
      form={(_f, editing) => (
        <>
          <Form.Item
            name="code"
            label={t('code')}
            rules={codeRules(
              draft.categories.filter((c) => c !== editing).map((c) => c.code),
              t,
            )}
          >
            <Input
              disabled={editing !== null}
              maxLength={maxLengthOf(CategoryConfig, 'code')}
              data-testid="config-code"
            />
          </Form.Item>
          <NameFields />
          <Form.Item name="queue" label={t('queue')} rules={[{ required: true }]}>
            <Select options={o.queues} />
          </Form.Item>
          <Form.Item name="meanServiceMinutes" label={t('mean')} rules={[{ required: true }]}>
            <InputNumber min={0.5} max={120} step={0.5} />
          </Form.Item>
        </>
      )}
    />
  );
}

function QueuesTab({ draft, edit, onChange }: TabProps<'queues'>) {
  const { t, pick } = useT(messages);
  return (
    <EntityList<Queue>
      testId="config-queues"
      items={draft.queues}
      edit={edit}
      onChange={onChange}
      rowKey={(q) => q.code}
      ordered
      blank={{ code: '', name: '', nameEn: '', prefix: '', vip: false }}
      columns={[
        { title: t('code'), dataIndex: 'code' },
        {
          title: t('prefix'),
          dataIndex: 'prefix',
          render: (p: string, q) => <Tag color={q.vip ? 'gold' : 'blue'}>{p}</Tag>,
        },
        { title: t('name'), key: 'name', render: (_: unknown, q) => pick({ zh: q.name, en: q.nameEn }) },
        { title: t('vip'), dataIndex: 'vip', render: (v: boolean) => (v ? t('yes') : t('no')) },
      ]}
      form={(_f, editing) => (
        <>
          <Form.Item
            name="code"
            label={t('code')}
            rules={codeRules(
              draft.queues.filter((q) => q !== editing).map((q) => q.code),
              t,
            )}
          >
            <Input
              disabled={editing !== null}
              maxLength={maxLengthOf(CategoryConfig, 'code')}
              data-testid="config-code"
            />
          </Form.Item>
          <NameFields />
          <Form.Item
            name="prefix"
            label={t('prefix')}
            rules={[{ required: true, pattern: /^[A-Z]{1,2}$/, message: t('prefixRule') }]}
            normalize={(v: string) => v.toUpperCase()}
          >
            <Input maxLength={2} style={{ width: 100 }} />
          </Form.Item>
          <Form.Item name="vip" label={t('vip')} valuePropName="checked" extra={t('vipHint')}>
            <Switch />
          </Form.Item>
        </>
      )}
    />
  );
}

type TriState = 'any' | 'yes' | 'no';
const tri = (v: boolean | undefined): TriState => (v === undefined ? 'any' : v ? 'yes' : 'no');
const untri = (v: TriState | undefined): boolean | undefined =>
  v === 'yes' ? true : v === 'no' ? false : undefined;

interface SegmentForm {
  queue: string;
  tiers?: string[];
  is3g?: TriState;
  appointment?: TriState;
  categories?: string[];
}

function SegmentationTab({ draft, edit, onChange }: TabProps<'segmentation'>) {
  const { t, pick } = useT(messages);
  const o = useOptions(draft);
  const triOptions = [
    { value: 'any', label: t('any') },
    { value: 'yes', label: t('yes') },
    { value: 'no', label: t('no') },
  ];
  // The form edits a flat shape; the list keeps the contract's `when`.
  const toForm = (s: Segment): SegmentForm => ({
    queue: s.queue,
    tiers: s.when.tiers ?? [],
    is3g: tri(s.when.is3g),
    appointment: tri(s.when.appointment),
    categories: s.when.categories ?? [],
  });
  const fromForm = (f: SegmentForm): Segment => {
    const when: Segment['when'] = {};
    if (f.tiers?.length) when.tiers = f.tiers as NonNullable<Segment['when']['tiers']>;
    const g = untri(f.is3g);
    if (g !== undefined) when.is3g = g;
    const a = untri(f.appointment);
    if (a !== undefined) when.appointment = a;
    if (f.categories?.length) when.categories = f.categories;
    return { queue: f.queue, when };
  };
  const forms = draft.segmentation.map(toForm);
  return (
    <EntityList<SegmentForm>
      testId="config-segmentation"
      items={forms}
      edit={edit}
      onChange={(list) => onChange(list.map(fromForm))}
      rowKey={(_s, i) => String(i)}
      ordered
      hint={t('segHint')}
      blank={{
        queue: draft.queues[0]?.code ?? '',
        tiers: [],
        is3g: 'any',
        appointment: 'any',
        categories: [],
      }}
      columns={[
        { title: '#', key: 'i', width: 40, render: (_: unknown, _s, i) => i + 1 },
        {
          title: t('when'),
          key: 'when',
          render: (_: unknown, s) => (
            <Space size={4} wrap>
              {(s.tiers ?? []).map((x) => (
                <Tag key={x} color={CLUB_TIERS[x as keyof typeof CLUB_TIERS]?.color}>
                  {pick(CLUB_TIERS[x as keyof typeof CLUB_TIERS] ?? { zh: x, en: x })}
                </Tag>
              ))}
              {s.is3g !== 'any' && (
                <Tag color="cyan">{`${t('is3g')}: ${s.is3g === 'yes' ? t('yes') : t('no')}`}</Tag>
              )}
              {s.appointment !== 'any' && (
                <Tag color="purple">{`${t('appointment')}: ${s.appointment === 'yes' ? t('yes') : t('no')}`}</Tag>
              )}
              {(s.categories ?? []).map((c) => (
                <Tag key={c}>{o.categoryName(c)}</Tag>
              ))}
            </Space>
          ),
        },
        { title: t('queue'), dataIndex: 'queue', render: (q: string) => `→ ${o.queueName(q)}` },
      ]}
      form={() => (
        <>
          <Form.Item name="tiers" label={t('tiers')}>
            <Checkbox.Group
              options={CLUB_TIER_CODES.map((c) => ({ value: c, label: pick(CLUB_TIERS[c]) }))}
            />
          </Form.Item>
          <Form.Item name="is3g" label={t('is3g')}>
            <Radio.Group optionType="button" options={triOptions} />
          </Form.Item>
          <Form.Item name="appointment" label={t('appointment')}>
            <Radio.Group optionType="button" options={triOptions} />
          </Form.Item>
          <Form.Item name="categories" label={t('onlyCategories')}>
            <Select mode="multiple" allowClear options={o.categories} placeholder={t('allCategories')} />
          </Form.Item>
          <Form.Item name="queue" label={t('queue')} rules={[{ required: true }]}>
            <Select options={o.queues} />
          </Form.Item>
        </>
      )}
    />
  );
}

function ProfilesTab({ draft, edit, onChange }: TabProps<'profiles'>) {
  const { t, pick } = useT(messages);
  const o = useOptions(draft);
  return (
    <EntityList<Profile>
      testId="config-profiles"
      items={draft.profiles}
      edit={edit}
      onChange={onChange}
      rowKey={(p) => p.code}
      hint={t('rulesHint')}
      blank={{
        code: '',
        name: '',
        nameEn: '',
        rules: [{ kind: 'queue', queue: draft.queues[0]?.code ?? '' }],
        categories: [],
      }}
      columns={[
        { title: t('code'), dataIndex: 'code' },
        { title: t('name'), key: 'name', render: (_: unknown, p) => pick({ zh: p.name, en: p.nameEn }) },
        {
          title: t('rules'),
          key: 'rules',
          render: (_: unknown, p) => (
            <Space size={4} wrap>
              {p.rules.map((r, i) => (
                <Tag key={i} color={r.kind === 'overdue' ? 'orange' : 'blue'}>
                  {i + 1}. {o.queueName(r.queue)}
                  {r.kind === 'overdue' ? `（${t('overdueN', { n: r.afterMinutes })}）` : ''}
                </Tag>
              ))}
            </Space>
          ),
        },
        {
          title: t('onlyCategories'),
          dataIndex: 'categories',
          render: (cs: string[]) =>
            cs.length === 0 ? t('allCategories') : cs.map(o.categoryName).join('、'),
        },
      ]}
      form={(f, editing) => (
        <>
          <Form.Item
            name="code"
            label={t('code')}
            rules={codeRules(
              draft.profiles.filter((p) => p !== editing).map((p) => p.code),
              t,
            )}
          >
            <Input
              disabled={editing !== null}
              maxLength={maxLengthOf(CategoryConfig, 'code')}
              data-testid="config-code"
            />
          </Form.Item>
          <NameFields />
          <Typography.Text strong>{t('rules')}</Typography.Text>
          <Form.List name="rules">
            {(fields, { add, remove }) => (
              <div style={{ margin: '8px 0 16px' }}>
                {fields.map((field, i) => (
                  <Flex key={field.key} gap={8} align="baseline">
                    <span style={{ width: 20 }}>{i + 1}.</span>
                    <Form.Item name={[field.name, 'kind']} style={{ marginBottom: 8 }}>
                      <Select
                        style={{ width: 110 }}
                        options={[
                          { value: 'queue', label: t('ruleQueue') },
                          { value: 'overdue', label: t('ruleOverdue') },
                        ]}
                      />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'queue']}
                      rules={[{ required: true }]}
                      style={{ marginBottom: 8 }}
                    >
                      <Select style={{ width: 200 }} options={o.queues} />
                    </Form.Item>
                    <Form.Item noStyle shouldUpdate>
                      {() =>
                        f.getFieldValue(['rules', field.name, 'kind']) === 'overdue' ? (
                          <Form.Item
                            name={[field.name, 'afterMinutes']}
                            rules={[{ required: true }]}
                            style={{ marginBottom: 8 }}
                          >
                            <InputNumber
                              min={1}
                              max={240}
                              precision={0}
                              placeholder={t('afterMinutes')}
                              style={{ width: 130 }}
                            />
                          </Form.Item>
                        ) : null
                      }
                    </Form.Item>
                    <Button
                      type="link"
                      danger
                      icon={<DeleteOutlined />}
                      disabled={fields.length <= 1}
                      onClick={() => remove(field.name)}
                      aria-label={t('delete')}
                    />
                  </Flex>
                ))}
                <Button
                  size="small"
                  icon={<PlusOutlined />}
                  onClick={() => add({ kind: 'queue', queue: draft.queues[0]?.code ?? '' })}
                >
                  {t('addRule')}
                </Button>
              </div>
            )}
          </Form.List>
          <Form.Item name="categories" label={t('onlyCategories')}>
            <Select mode="multiple" allowClear options={o.categories} placeholder={t('allCategories')} />
          </Form.Item>
        </>
      )}
    />
  );
}

function CountersTab({ draft, edit, onChange }: TabProps<'counters'>) {
  const { t, pick } = useT(messages);
  const o = useOptions(draft);
  const next = Math.max(0, ...draft.counters.map((c) => c.number)) + 1;
  return (
    <EntityList<Counter>
      testId="config-counters"
      items={[...draft.counters].sort((a, b) => a.number - b.number)}
      edit={edit}
      onChange={onChange}
      rowKey={(c) => c.code}
      blank={{
        code: `c${String(next).padStart(2, '0')}`,
        number: next,
        name: `${next}号窗口`,
        kind: 'normal',
        categories: [],
        profile: draft.profiles[0]?.code ?? '',
      }}
      columns={[
        { title: t('number'), dataIndex: 'number', width: 80 },
        { title: t('name'), dataIndex: 'name' },
        {
          title: t('kind'),
          dataIndex: 'kind',
          render: (k: Counter['kind']) => <Tag color={COUNTER_KINDS[k].color}>{pick(COUNTER_KINDS[k])}</Tag>,
        },
        {
          title: t('onlyCategories'),
          dataIndex: 'categories',
          render: (cs: string[]) =>
            cs.length === 0 ? t('allCategories') : cs.map(o.categoryName).join('、'),
        },
        {
          title: t('profile'),
          dataIndex: 'profile',
          render: (p: string) => o.profiles.find((x) => x.value === p)?.label ?? p,
        },
        { title: t('code'), dataIndex: 'code' },
      ]}
      form={(_f, editing) => (
        <>
          <Flex gap={12}>
            <Form.Item
              name="code"
              label={t('code')}
              style={{ flex: 1 }}
              rules={codeRules(
                draft.counters.filter((c) => c !== editing).map((c) => c.code),
                t,
              )}
            >
              <Input
                disabled={editing !== null}
                maxLength={maxLengthOf(CategoryConfig, 'code')}
                data-testid="config-code"
              />
            </Form.Item>
            <Form.Item name="number" label={t('number')} rules={[{ required: true }]} style={{ flex: 1 }}>
              <InputNumber min={1} max={999} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Flex>
          <Form.Item name="name" label={t('name')} rules={[{ required: true, whitespace: true, max: 40 }]}>
            <Input maxLength={40} data-testid="config-counter-name" />
          </Form.Item>
          <Form.Item name="kind" label={t('kind')}>
            <Radio.Group
              optionType="button"
              options={COUNTER_KIND_CODES.map((k) => ({ value: k, label: pick(COUNTER_KINDS[k]) }))}
            />
          </Form.Item>
          <Form.Item name="categories" label={t('onlyCategories')}>
            <Select mode="multiple" allowClear options={o.categories} placeholder={t('allCategories')} />
          </Form.Item>
          <Form.Item name="profile" label={t('profile')} rules={[{ required: true }]}>
            <Select options={o.profiles} />
          </Form.Item>
        </>
      )}
    />
  );
}

function NoticesTab({
  hallId,
  notices,
  edit,
  onSaved,
}: {
  hallId: string;
  notices: Notice[];
  edit: boolean;
  onSaved: (v: HallQueueConfigView) => void;
}) {
  const { t } = useT(messages);
  const feedback = useFeedback();
  const [form] = Form.useForm<{ notices: Notice[] }>();
  const [busy, setBusy] = useState(false);
  useEffect(() => form.setFieldsValue({ notices }), [form, notices]);
  const save = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const saved = await api.put<HallQueueConfigView>(`/api/halls/${hallId}/queue-notices`, {
        notices: (v.notices ?? []).map((n) => ({ zh: n.zh.trim(), en: (n.en ?? '').trim() })),
      });
      feedback.success(t('noticesSaved'));
      onSaved(saved);
    } catch (e) {
      feedback.formError(form, e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form form={form} layout="vertical" initialValues={{ notices }} disabled={!edit}>
      <Typography.Paragraph type="secondary">{t('noticesHint')}</Typography.Paragraph>
      <Form.List name="notices">
        {(fields, { add, remove }) => (
          <>
            {fields.map((field, i) => (
              <Flex key={field.key} gap={8} align="baseline" data-testid={`notice-${i}`}>
                <span style={{ width: 20 }}>{i + 1}.</span>
                <Form.Item
                  name={[field.name, 'zh']}
                  rules={[{ required: true, whitespace: true, max: 200 }]}
                  style={{ flex: 1 }}
                >
                  <Input placeholder={t('noticeZh')} maxLength={200} data-testid={`notice-zh-${i}`} />
                </Form.Item>
                <Form.Item name={[field.name, 'en']} rules={[{ max: 200 }]} style={{ flex: 1 }}>
                  <Input placeholder={t('noticeEn')} maxLength={200} data-testid={`notice-en-${i}`} />
                </Form.Item>
                {edit && (
                  <Button
                    type="link"
                    danger
                    icon={<DeleteOutlined />}
                    onClick={() => remove(field.name)}
                    aria-label={t('delete')}
                  />
                )}
              </Flex>
            ))}
            {edit && (
              <Space>
                <Button
                  icon={<PlusOutlined />}
                  disabled={fields.length >= 10}
                  onClick={() => add({ zh: '', en: '' })}
                  data-testid="notice-add"
                >
                  {t('addNotice')}
                </Button>
                <Button
                  type="primary"
                  icon={<SaveOutlined />}
                  loading={busy}
                  onClick={() => void save().catch(() => undefined)}
                  data-testid="notices-save"
                >
                  {t('saveNotices')}
                </Button>
              </Space>
            )}
          </>
        )}
      </Form.List>
    </Form>
  );
}
