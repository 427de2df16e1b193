/**
 * The words people read for the system's codes, in one place for the server and the console: the label of
 * every input and record field (validation messages, the audit log's before/after), of every event type
 * (the audit log's action) and of every kind of subject an event is about.
 *
 * `EventType` is the type of `EventInput.action`: an event whose type has no label here does not compile.
 */

export interface Words {
  zh: string;
  en: string;
}

/** Every event type a command appends, with its name in both languages. */
export const EVENT_TYPES = {
  'appointment.booked': { zh: '预约登记', en: 'Appointment booked' },
  'appointment.cancelled': { zh: '取消预约', en: 'Appointment cancelled' },
  'appointment.checked_in': { zh: '预约签到', en: 'Appointment checked in' },
  'appointment.late': { zh: '预约迟到签到', en: 'Appointment checked in late' },
  'auth.locked': { zh: '账号锁定', en: 'Account locked' },
  'auth.login': { zh: '登录', en: 'Signed in' },
  'auth.login_failed': { zh: '登录失败', en: 'Sign-in failed' },
  'auth.login_refused_locked': { zh: '锁定期间拒绝登录', en: 'Sign-in refused (locked)' },
  'auth.logout': { zh: '退出登录', en: 'Signed out' },
  'auth.password_changed': { zh: '修改密码', en: 'Password changed' },
  'auth.sessions_ended': { zh: '结束全部会话', en: 'All sessions ended' },
  'bench.tick': { zh: '基准测试事件', en: 'Benchmark event' },
  'calendar.day_removed': { zh: '删除日历日', en: 'Calendar day removed' },
  'calendar.day_set': { zh: '设置日历日', en: 'Calendar day set' },
  'counter.closed': { zh: '关闭台席', en: 'Counter closed' },
  'counter.opened': { zh: '开启台席', en: 'Counter opened' },
  'counter.pause_overridden': { zh: '值班经理批准暂停', en: 'Pause allowed by duty manager' },
  'counter.paused': { zh: '暂停服务', en: 'Counter paused' },
  'counter.resumed': { zh: '恢复服务', en: 'Counter resumed' },
  'customer.created': { zh: '新建客户', en: 'Customer created' },
  'customer.exported': { zh: '导出客户', en: 'Customers exported' },
  'customer.number_searched': { zh: '按号码查询客户', en: 'Customer searched by number' },
  'customer.pii_viewed': { zh: '查看完整客户信息', en: 'Full customer data viewed' },
  'customer.updated': { zh: '修改客户', en: 'Customer changed' },
  'demo.staff_seeded': { zh: '生成演示员工', en: 'Demo staff created' },
  'echannel.code_dead': { zh: '验证码作废', en: 'Code void (too many tries)' },
  'echannel.code_failed': { zh: '验证码错误', en: 'Wrong code' },
  'echannel.code_sent': { zh: '发送验证码', en: 'Code sent' },
  'echannel.session_opened': { zh: '电子渠道验证通过', en: 'E-channel session opened' },
  'line.moved': { zh: '队列位置变化', en: 'Place in line moved' },
  'notify.delivered': { zh: '通知已送达', en: 'Message delivered' },
  'notify.failed': { zh: '通知发送失败', en: 'Message failed' },
  'notify.queued': { zh: '通知待发送', en: 'Message queued' },
  'notify.retry': { zh: '通知重试', en: 'Message retried' },
  'queue.alert': { zh: '排队预警', en: 'Queue alert' },
  'queue.configured': { zh: '修改排队配置', en: 'Queue configured' },
  'queue.day_closed': { zh: '排队日结', en: 'Queue day closed' },
  'queue.notices_set': { zh: '设置叫号屏公告', en: 'Display notices set' },
  'setting.cleared': { zh: '恢复参数默认值', en: 'Setting cleared' },
  'setting.set': { zh: '修改参数', en: 'Setting changed' },
  'staff.created': { zh: '新建员工', en: 'Staff created' },
  'staff.password_reset': { zh: '重置员工密码', en: 'Staff password reset' },
  'staff.updated': { zh: '修改员工', en: 'Staff changed' },
  'subscription.added': { zh: '新增业务', en: 'Subscription added' },
  'subscription.updated': { zh: '修改业务', en: 'Subscription changed' },
  'ticket.business_done': { zh: '业务办结', en: 'Business done' },
  'ticket.called': { zh: '叫号', en: 'Ticket called' },
  'ticket.cancelled': { zh: '取消排队', en: 'Ticket cancelled' },
  'ticket.finished': { zh: '服务结束', en: 'Service finished' },
  'ticket.near_front': { zh: '即将叫到', en: 'Near the front' },
  'ticket.no_show': { zh: '过号', en: 'No-show' },
  'ticket.not_served': { zh: '未服务（日结）', en: 'Not served (day closed)' },
  'ticket.parked': { zh: '挂起', en: 'Ticket parked' },
  'ticket.pre_registered': { zh: '预登记', en: 'Pre-registered' },
  'ticket.pre_registration_viewed': { zh: '查看预登记', en: 'Pre-registration viewed' },
  'ticket.recalled': { zh: '重呼', en: 'Ticket recalled' },
  'ticket.resumed': { zh: '恢复办理', en: 'Ticket resumed' },
  'ticket.started': { zh: '开始服务', en: 'Service started' },
  'ticket.taken': { zh: '取号', en: 'Ticket taken' },
  'ticket.transferred': { zh: '转移', en: 'Ticket transferred' },
  'token.created': { zh: '新建设备令牌', en: 'Device token created' },
  'token.revoked': { zh: '吊销设备令牌', en: 'Device token revoked' },
  'unit.created': { zh: '新建单位', en: 'Unit created' },
  'unit.day_exception_removed': { zh: '删除特殊营业日', en: 'Day exception removed' },
  'unit.day_exception_set': { zh: '设置特殊营业日', en: 'Day exception set' },
  'unit.updated': { zh: '修改单位', en: 'Unit changed' },
} as const satisfies Record<string, Words>;

export type EventType = keyof typeof EVENT_TYPES;

/** The name of an event type; an unknown one (from an older version) is shown as it is stored. */
export function eventLabel(action: string): Words {
  return (EVENT_TYPES as Record<string, Words>)[action] ?? { zh: action, en: action };
}

/** What an event can be about. */
export const SUBJECT_TYPES = {
  appointment: { zh: '预约', en: 'Appointment' },
  bench: { zh: '基准测试', en: 'Benchmark' },
  calendar_day: { zh: '日历日', en: 'Calendar day' },
  counter: { zh: '台席', en: 'Counter' },
  credential: { zh: '登录凭据', en: 'Credential' },
  customer: { zh: '客户', en: 'Customer' },
  customer_export: { zh: '客户导出', en: 'Customer export' },
  customer_search: { zh: '客户查询', en: 'Customer search' },
  day_exception: { zh: '特殊营业日', en: 'Day exception' },
  demo: { zh: '演示数据', en: 'Demo data' },
  device: { zh: '设备', en: 'Device' },
  echannel_code: { zh: '验证码', en: 'Verification code' },
  hall: { zh: '营业厅', en: 'Hall' },
  notify_message: { zh: '通知', en: 'Message' },
  phone: { zh: '电话号码', en: 'Phone number' },
  session: { zh: '会话', en: 'Session' },
  setting: { zh: '参数', en: 'Setting' },
  staff: { zh: '员工', en: 'Staff' },
  subscription: { zh: '业务', en: 'Subscription' },
  system: { zh: '系统', en: 'System' },
  ticket: { zh: '排队号', en: 'Ticket' },
  token: { zh: '设备令牌', en: 'Device token' },
  unit: { zh: '单位', en: 'Unit' },
  username: { zh: '用户名', en: 'User name' },
} as const satisfies Record<string, Words>;

export type SubjectType = keyof typeof SUBJECT_TYPES;

export function subjectLabel(type: string): Words {
  return (SUBJECT_TYPES as Record<string, Words>)[type] ?? { zh: type, en: type };
}

/**
 * The label of every field of an input or a record, by its name (the last part of its path). The
 * validation messages name a field by it, the audit log's before/after shows it, and a test holds that
 * every field of every route's input and of every event record has one.
 */
export const FIELD_LABELS: Record<string, Words> = {
  accounts: { zh: '账号数', en: 'Accounts' },
  action: { zh: '动作', en: 'Action' },
  active: { zh: '启用', en: 'Active' },
  actorId: { zh: '操作人', en: 'Actor' },
  address: { zh: '地址', en: 'Address' },
  afterMinutes: { zh: '超过（分钟）', en: 'After (minutes)' },
  appointment: { zh: '预约', en: 'Appointment' },
  at: { zh: '时间', en: 'Time' },
  average: { zh: '平均', en: 'Average' },
  attributes: { zh: '属性', en: 'Attributes' },
  business: { zh: '办理业务', en: 'Business' },
  by: { zh: '统计维度', en: 'Group by' },
  categories: { zh: '服务类别', en: 'Service categories' },
  category: { zh: '服务类别', en: 'Service category' },
  centralisedSeats: { zh: '座席集中管理', en: 'Seats centralised' },
  channel: { zh: '取号渠道', en: 'Channel' },
  close: { zh: '结束时间', en: 'Closes' },
  clubTier: { zh: '俱乐部等级', en: 'Club tier' },
  code: { zh: '编码', en: 'Code' },
  contactPhone: { zh: '联系电话', en: 'Contact phone' },
  count: { zh: '数量', en: 'Count' },
  counterId: { zh: '台席', en: 'Counter' },
  counters: { zh: '台席', en: 'Counters' },
  createdAt: { zh: '创建时间', en: 'Created' },
  currentPassword: { zh: '当前密码', en: 'Current password' },
  customerName: { zh: '客户姓名', en: 'Customer name' },
  date: { zh: '日期', en: 'Date' },
  en: { zh: '英文', en: 'English' },
  expiresInDays: { zh: '有效天数', en: 'Valid for (days)' },
  from: { zh: '开始时间', en: 'From' },
  hallId: { zh: '营业厅', en: 'Hall' },
  holiday: { zh: '节假日营业时间', en: 'Holiday hours' },
  hours: { zh: '营业时间', en: 'Opening hours' },
  id: { zh: '编号', en: 'Id' },
  idDocKind: { zh: '证件类型', en: 'ID document kind' },
  idDocNumber: { zh: '证件号码', en: 'ID document number' },
  is3g: { zh: '3G 客户', en: '3G customer' },
  key: { zh: '参数', en: 'Setting' },
  kind: { zh: '类型', en: 'Kind' },
  label: { zh: '名称', en: 'Label' },
  lateMinutes: { zh: '迟到（分钟）', en: 'Late (minutes)' },
  limit: { zh: '每页条数', en: 'Page size' },
  localDate: { zh: '营业日', en: 'Business day' },
  makeupWorkday: { zh: '调休上班日营业时间', en: 'Make-up workday hours' },
  meanServiceMinutes: { zh: '平均办理时长（分钟）', en: 'Mean service time (minutes)' },
  name: { zh: '名称', en: 'Name' },
  nameEn: { zh: '英文名称', en: 'English name' },
  neverExpires: { zh: '永不过期', en: 'Never expires' },
  newPassword: { zh: '新密码', en: 'New password' },
  note: { zh: '备注', en: 'Note' },
  notices: { zh: '公告', en: 'Notices' },
  number: { zh: '号码', en: 'Number' },
  offset: { zh: '起始位置', en: 'Offset' },
  open: { zh: '开始时间', en: 'Opens' },
  openingHours: { zh: '营业时间', en: 'Opening hours' },
  outcome: { zh: '办理结果', en: 'Outcome' },
  override: { zh: '值班经理批准', en: 'Duty manager override' },
  parentId: { zh: '上级单位', en: 'Parent unit' },
  password: { zh: '密码', en: 'Password' },
  path: { zh: '组织路径', en: 'Organisation path' },
  pauseReason: { zh: '暂停原因', en: 'Pause reason' },
  phone: { zh: '电话号码', en: 'Phone number' },
  plan: { zh: '套餐', en: 'Plan' },
  position: { zh: '岗位', en: 'Position' },
  positions: { zh: '岗位', en: 'Positions' },
  prefix: { zh: '号码前缀', en: 'Number prefix' },
  profile: { zh: '工作模式', en: 'Work profile' },
  profileId: { zh: '工作模式', en: 'Work profile' },
  profiles: { zh: '工作模式', en: 'Work profiles' },
  provinceId: { zh: '省分公司', en: 'Province' },
  purpose: { zh: '事由', en: 'Purpose' },
  q: { zh: '搜索内容', en: 'Search text' },
  queue: { zh: '队列', en: 'Queue' },
  queues: { zh: '队列', en: 'Queues' },
  rating: { zh: '服务评价', en: 'Rating' },
  ratings: { zh: '服务评价', en: 'Ratings' },
  reason: { zh: '原因', en: 'Reason' },
  rules: { zh: '规则', en: 'Rules' },
  segmentation: { zh: '分流规则', en: 'Segmentation rules' },
  since: { zh: '开始时间', en: 'Since' },
  slotStart: { zh: '预约时段', en: 'Time slot' },
  state: { zh: '状态', en: 'State' },
  stateSince: { zh: '状态开始时间', en: 'State since' },
  status: { zh: '状态', en: 'Status' },
  subjectId: { zh: '对象编号', en: 'Subject id' },
  subjectType: { zh: '对象类型', en: 'Subject type' },
  subscriptionId: { zh: '业务', en: 'Subscription' },
  subscriptions: { zh: '业务', en: 'Subscriptions' },
  ticketId: { zh: '排队号', en: 'Ticket' },
  ticketNumber: { zh: '排队号', en: 'Ticket number' },
  tier: { zh: '俱乐部等级', en: 'Club tier' },
  tiers: { zh: '俱乐部等级', en: 'Club tiers' },
  timeZone: { zh: '时区', en: 'Time zone' },
  to: { zh: '结束时间', en: 'To' },
  unitId: { zh: '单位', en: 'Unit' },
  unitName: { zh: '单位名称', en: 'Unit name' },
  updatedAt: { zh: '修改时间', en: 'Changed' },
  username: { zh: '用户名', en: 'User name' },
  value: { zh: '取值', en: 'Value' },
  vip: { zh: 'VIP 队列', en: 'VIP queue' },
  weekly: { zh: '每周营业时间', en: 'Weekly hours' },
  when: { zh: '时间', en: 'When' },
  year: { zh: '年份', en: 'Year' },
  zh: { zh: '中文', en: 'Chinese' },
};

/** The label of a field by its path (`body.openingHours.weekly.0` → 每周营业时间); the nearest named part. */
export function fieldLabel(path: readonly (string | number)[]): Words {
  for (let i = path.length - 1; i >= 0; i--) {
    const label = FIELD_LABELS[String(path[i])];
    if (label) return label;
  }
  return { zh: '输入', en: 'Input' };
}
