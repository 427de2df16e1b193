/** The frame of every page after login: side menu, header with the person, unit, language and logout. */
import {
  SafetyCertificateOutlined,
  ToolOutlined,
  ApartmentOutlined,
  AuditOutlined,
  MailOutlined,
  BarChartOutlined,
  BookOutlined,
  CalendarOutlined,
  ControlOutlined,
  CustomerServiceOutlined,
  DashboardOutlined,
  FundOutlined,
  FileTextOutlined,
  DesktopOutlined,
  OrderedListOutlined,
  PrinterOutlined,
  ScheduleOutlined,
  SettingOutlined,
  HomeOutlined,
  KeyOutlined,
  LockOutlined,
  LogoutOutlined,
  TeamOutlined,
  TranslationOutlined,
  UserOutlined,
  IdcardOutlined,
} from '@ant-design/icons';
import { Button, Layout, Menu, Space, Spin, Tooltip, Typography, theme } from 'antd';
import type { MenuProps } from 'antd';
import { Suspense, useState } from 'react';
import type { ReactNode } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { PAGE_PATHS, QUEUE_PAGES, homePath, mayOpen } from './access.ts';
import type { PageKey } from './access.ts';
import { useAuth, useMe } from './auth.tsx';
import { useFeedback } from './feedback.ts';
import { useLang, useT } from './i18n.tsx';
import { common } from './messages.ts';
import { UnitsProvider, unitName, useUnits } from './units.tsx';

const { Header, Sider, Content } = Layout;

const ICONS: Record<PageKey, ReactNode> = {
  home: <HomeOutlined />,
  org: <ApartmentOutlined />,
  staff: <TeamOutlined />,
  customers: <IdcardOutlined />,
  calendar: <CalendarOutlined />,
  settings: <ControlOutlined />,
  audit: <AuditOutlined />,
  outbox: <MailOutlined />,
  tokens: <KeyOutlined />,
  catalogue: <BookOutlined />,
  visitPrint: <PrinterOutlined />,
  repairs: <ToolOutlined />,
  dataQuality: <SafetyCertificateOutlined />,
  workOrders: <FileTextOutlined />,
  workOrderReport: <FundOutlined />,
  guide: <CustomerServiceOutlined />,
  counter: <DesktopOutlined />,
  floor: <DashboardOutlined />,
  appointments: <ScheduleOutlined />,
  queueStats: <BarChartOutlined />,
  queueConfig: <SettingOutlined />,
};

const ORDER: PageKey[] = [
  'home',
  'org',
  'staff',
  'customers',
  'catalogue',
  'repairs',
  'dataQuality',
  'workOrders',
  'workOrderReport',
  'calendar',
  'settings',
  'audit',
  'outbox',
  'tokens',
];
/** The hall-queue group comes after the customers page. */
const QUEUE_AFTER: PageKey = 'customers';

/** The menu entry of a path: the one with the longest path it starts with (`/work-orders/report` over `/work-orders`). */
function selectedPage(pathname: string): PageKey {
  const found = [...ORDER, ...QUEUE_PAGES]
    .filter((k) => k !== 'home' && pathname.startsWith(PAGE_PATHS[k]))
    .sort((a, b) => PAGE_PATHS[b].length - PAGE_PATHS[a].length)[0];
  return found ?? 'home';
}

/** The language switch: shows the other language; one click changes every text and antd's own. */
export function LangSwitch() {
  const { lang, setLang } = useLang();
  const { t } = useT(common);
  return (
    <Tooltip title={t('header.language')}>
      <Button
        data-testid="lang-switch"
        icon={<TranslationOutlined />}
        onClick={() => setLang(lang === 'zh-CN' ? 'en-US' : 'zh-CN')}
      >
        {lang === 'zh-CN' ? 'English' : '中文'}
      </Button>
    </Tooltip>
  );
}

/** The person's unit, in English when it has an English name (inside the units provider). */
function HeaderUnit({ unitId, fallback }: { unitId: string; fallback: string }) {
  const { byId } = useUnits();
  const { lang } = useLang();
  const unit = byId.get(unitId);
  return (
    <Typography.Text type="secondary" data-testid="header-unit-name">
      {unit ? unitName(unit, lang) : fallback}
    </Typography.Text>
  );
}

export function PageFallback() {
  return (
    <div style={{ padding: 64, textAlign: 'center' }}>
      <Spin size="large" />
    </div>
  );
}

export function AppLayout() {
  const me = useMe();
  const { logout } = useAuth();
  const { t, lang } = useT(common);
  const feedback = useFeedback();
  const location = useLocation();
  const navigate = useNavigate();
  const [collapsed, setCollapsed] = useState(false);
  const { token } = theme.useToken();

  const entry = (k: PageKey) => ({
    key: k,
    icon: ICONS[k],
    label: (
      <Link to={PAGE_PATHS[k]} data-testid={`menu-${k}`}>
        {t(`menu.${k}`)}
      </Link>
    ),
  });
  const queuePages = QUEUE_PAGES.filter((k) => mayOpen(me, k));
  const queueGroup = {
    key: 'queue',
    icon: <OrderedListOutlined />,
    label: <span data-testid="menu-queue">{t('menu.queue')}</span>,
    children: queuePages.map(entry),
  };
  // A clerk's home is the counter page: no dashboard entry of its own then.
  const mainPages = ORDER.filter((p) => mayOpen(me, p) && (p !== 'home' || homePath(me) === '/'));
  // The hall-queue group follows the customers page (or the home page when that is not shown).
  const after = mainPages.includes(QUEUE_AFTER) ? QUEUE_AFTER : (mainPages[0] ?? 'home');
  const items: NonNullable<MenuProps['items']> =
    mainPages.length === 0
      ? [queueGroup]
      : mainPages.flatMap((k) =>
          k === after && queuePages.length > 0 ? [entry(k), queueGroup] : [entry(k)],
        );

  const onLogout = async () => {
    try {
      await logout();
      feedback.success(t('header.loggedOut'));
    } catch (e) {
      feedback.error(e);
    }
    void navigate('/login', { replace: true });
  };

  return (
    <UnitsProvider>
      <Layout style={{ minHeight: '100vh' }}>
        <Sider
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
          width={208}
          breakpoint="lg"
          theme="dark"
          style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}
        >
          <div
            style={{
              height: 56,
              display: 'flex',
              alignItems: 'center',
              justifyContent: 'center',
              color: '#fff',
              fontWeight: 600,
              fontSize: collapsed ? 16 : 17,
              whiteSpace: 'nowrap',
              overflow: 'hidden',
              gap: 8,
            }}
          >
            <span
              style={{
                background: '#c8102e',
                borderRadius: 6,
                width: 28,
                height: 28,
                display: 'inline-flex',
                alignItems: 'center',
                justifyContent: 'center',
                fontSize: 16,
                flex: 'none',
              }}
            >
              服
            </span>
            {!collapsed && <span>{lang === 'zh-CN' ? '服务管理平台' : 'Fuwu'}</span>}
          </div>
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={[selectedPage(location.pathname)]}
            defaultOpenKeys={['queue']}
            items={items}
            data-testid="side-menu"
          />
        </Sider>
        <Layout>
          <Header
            style={{
              background: token.colorBgContainer,
              padding: '0 24px',
              display: 'flex',
              alignItems: 'center',
              justifyContent: 'space-between',
              gap: 16,
              borderBottom: `1px solid ${token.colorBorderSecondary}`,
              position: 'sticky',
              top: 0,
              zIndex: 10,
              height: 56,
              lineHeight: '56px',
            }}
          >
            <Typography.Text strong style={{ fontSize: 16, whiteSpace: 'nowrap' }} ellipsis>
              {t('appName')}
            </Typography.Text>
            <Space size="middle" style={{ flex: 'none' }}>
              <Space size={6} data-testid="header-user">
                <UserOutlined />
                <Typography.Text strong data-testid="header-user-name">
                  {me.name}
                </Typography.Text>
                <HeaderUnit unitId={me.unitId} fallback={me.unitName} />
              </Space>
              <LangSwitch />
              {me.kind === 'staff' && (
                <Tooltip title={t('header.changePassword')}>
                  <Button
                    icon={<LockOutlined />}
                    data-testid="change-password"
                    onClick={() => void navigate('/change-password')}
                    aria-label={t('header.changePassword')}
                  />
                </Tooltip>
              )}
              <Button icon={<LogoutOutlined />} data-testid="logout" onClick={() => void onLogout()}>
                {t('header.logout')}
              </Button>
            </Space>
          </Header>
          <Content style={{ padding: 24, minWidth: 0 }}>
            <Suspense fallback={<PageFallback />}>
              <Outlet />
            </Suspense>
          </Content>
        </Layout>
      </Layout>
    </UnitsProvider>
  );
}
