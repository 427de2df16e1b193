/** Routes of the console; each page is its own chunk (React.lazy) so the first load stays small. */
import { App as AntApp, Button, ConfigProvider, Result } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, Suspense, useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { createBrowserRouter, Navigate, RouterProvider, useLocation, useRouteError } from 'react-router';
import { homePath } from './platform/access.ts';
import { AuthProvider, useAuth, useMe } from './platform/auth.tsx';
import { LangProvider, useLang, useT } from './platform/i18n.tsx';
import { AppLayout, PageFallback } from './platform/Layout.tsx';
import { common } from './platform/messages.ts';
import { Guard, NotFound } from './platform/Page.tsx';

const LoginPage = lazy(() => import('./modules/login/LoginPage.tsx'));
const ChangePasswordPage = lazy(() => import('./modules/login/ChangePasswordPage.tsx'));
const HomePage = lazy(() => import('./modules/home/HomePage.tsx'));
const OrgPage = lazy(() => import('./modules/org/OrgPage.tsx'));
const StaffPage = lazy(() => import('./modules/staff/StaffPage.tsx'));
const CustomersPage = lazy(() => import('./modules/customers/CustomersPage.tsx'));
const CalendarPage = lazy(() => import('./modules/calendar/CalendarPage.tsx'));
const SettingsPage = lazy(() => import('./modules/settings/SettingsPage.tsx'));
const AuditPage = lazy(() => import('./modules/audit/AuditPage.tsx'));
const OutboxPage = lazy(() => import('./modules/notify/OutboxPage.tsx'));
const TokensPage = lazy(() => import('./modules/tokens/TokensPage.tsx'));
const CataloguePage = lazy(() => import('./modules/catalogue/CataloguePage.tsx'));
const RepairsPage = lazy(() => import('./modules/repairs/RepairsPage.tsx'));
const DataQualityPage = lazy(() => import('./modules/data-quality/DataQualityPage.tsx'));
const WorkOrdersPage = lazy(() => import('./modules/workorders/desk/WorkOrdersPage.tsx'));
const WorkOrderPage = lazy(() => import('./modules/workorders/desk/WorkOrderPage.tsx'));
const WorkOrderReportPage = lazy(() => import('./modules/workorders/report/ReportPage.tsx'));
const FollowOrdersPage = lazy(() => import('./modules/workorders/follow/FollowOrdersPage.tsx'));
const KioskPage = lazy(() => import('./modules/queue/KioskPage.tsx'));
const DisplayPage = lazy(() => import('./modules/queue/DisplayPage.tsx'));
const RemotePage = lazy(() => import('./modules/queue/RemotePage.tsx'));
const RatingPadPage = lazy(() => import('./modules/queue/RatingPadPage.tsx'));
const FollowPage = lazy(() => import('./modules/queue/FollowPage.tsx'));
const GuidePage = lazy(() => import('./modules/queue/GuidePage.tsx'));
const CounterPage = lazy(() => import('./modules/queue/CounterPage.tsx'));
const FloorPage = lazy(() => import('./modules/queue/FloorPage.tsx'));
const AppointmentsPage = lazy(() => import('./modules/queue/AppointmentsPage.tsx'));
const QueueStatsPage = lazy(() => import('./modules/queue/StatsPage.tsx'));
const QueueConfigPage = lazy(() => import('./modules/queue/ConfigPage.tsx'));
const DocumentPrintPage = lazy(() => import('./modules/visits/DocumentPrintPage.tsx'));
const VisitPage = lazy(() => import('./modules/visits/VisitPage.tsx'));

/**
 * The protected part: nobody without a session; a person who must change the password reaches only
 * the change-password page until it is done.
 */
function RequireSession({ children, passwordPage = false }: { children: ReactNode; passwordPage?: boolean }) {
  const { me, ensure } = useAuth();
  const location = useLocation();
  useEffect(ensure, [ensure]);
  if (me === undefined) return <PageFallback />;
  if (me === null) {
    const next = location.pathname + location.search;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (me.mustChangePassword && !passwordPage) return <Navigate to="/change-password" replace />;
  return <>{children}</>;
}

function RouteError() {
  const error = useRouteError();
  const { t } = useT(common);
  console.error(error);
  return (
    <Result
      status="error"
      title={t('pageError')}
      subTitle={error instanceof Error ? error.message : undefined}
      extra={
        <Button type="primary" onClick={() => window.location.reload()}>
          {t('reload')}
        </Button>
      }
    />
  );
}

/** `/`: the dashboard, or for a clerk (only counter positions) the counter page, their home. */
function HomeOrCounter() {
  const me = useMe();
  const home = homePath(me);
  return home === '/' ? <HomePage /> : <Navigate to={home} replace />;
}

const page = (el: ReactNode) => <Suspense fallback={<PageFallback />}>{el}</Suspense>;

const router = createBrowserRouter([
  { path: '/login', element: page(<LoginPage />), errorElement: <RouteError /> },
  // Devices of a hall (kiosk, calling display) and the e-channel's page: full screen, no menu; a device
  // token (?token=…) or a staff session.
  { path: '/kiosk', element: page(<KioskPage />), errorElement: <RouteError /> },
  { path: '/kiosk/:hallId', element: page(<KioskPage />), errorElement: <RouteError /> },
  { path: '/display', element: page(<DisplayPage />), errorElement: <RouteError /> },
  { path: '/display/:hallId', element: page(<DisplayPage />), errorElement: <RouteError /> },
  { path: '/m/halls/:hallId', element: page(<RemotePage />), errorElement: <RouteError /> },
  // A counter's rating pad (服务评价器): its device token is bound to one counter.
  { path: '/pad', element: page(<RatingPadPage />), errorElement: <RouteError /> },
  // What a ticket slip's QR code opens: that ticket, followed with the link in the address's fragment.
  { path: '/m/t/:ticketId', element: page(<FollowPage />), errorElement: <RouteError /> },
  // The customer follows their work orders (工单) with a phone proven by an SMS code.
  { path: '/m/orders', element: page(<FollowOrdersPage />), errorElement: <RouteError /> },
  { path: '/m/orders/:number', element: page(<FollowOrdersPage />), errorElement: <RouteError /> },
  // A visit's signed document (一单清) for A4 print: a sheet and a toolbar, no console chrome.
  {
    path: '/visits/:visitId/print',
    element: (
      <RequireSession>
        <Guard page="visitPrint">{page(<DocumentPrintPage />)}</Guard>
      </RequireSession>
    ),
    errorElement: <RouteError />,
  },
  {
    path: '/change-password',
    element: <RequireSession passwordPage>{page(<ChangePasswordPage />)}</RequireSession>,
    errorElement: <RouteError />,
  },
  {
    path: '/',
    element: (
      <RequireSession>
        <AppLayout />
      </RequireSession>
    ),
    errorElement: <RouteError />,
    children: [
      { index: true, element: <HomeOrCounter /> },
      { path: 'org', element: <Guard page="org">{<OrgPage />}</Guard> },
      { path: 'staff', element: <Guard page="staff">{<StaffPage />}</Guard> },
      { path: 'customers', element: <Guard page="customers">{<CustomersPage />}</Guard> },
      { path: 'calendar', element: <Guard page="calendar">{<CalendarPage />}</Guard> },
      { path: 'settings', element: <Guard page="settings">{<SettingsPage />}</Guard> },
      { path: 'audit', element: <Guard page="audit">{<AuditPage />}</Guard> },
      { path: 'outbox', element: <Guard page="outbox">{<OutboxPage />}</Guard> },
      { path: 'tokens', element: <Guard page="tokens">{<TokensPage />}</Guard> },
      { path: 'catalogue', element: <Guard page="catalogue">{<CataloguePage />}</Guard> },
      { path: 'repairs', element: <Guard page="repairs">{<RepairsPage />}</Guard> },
      { path: 'visits/:visitId', element: <Guard page="visitPrint">{<VisitPage />}</Guard> },
      { path: 'data-quality', element: <Guard page="dataQuality">{<DataQualityPage />}</Guard> },
      { path: 'work-orders', element: <Guard page="workOrders">{<WorkOrdersPage />}</Guard> },
      {
        path: 'work-orders/:orderId',
        element: <Guard page="workOrders">{<WorkOrderPage />}</Guard>,
      },
      {
        path: 'work-orders/report',
        element: <Guard page="workOrderReport">{<WorkOrderReportPage />}</Guard>,
      },
      { path: 'queue/guide', element: <Guard page="guide">{<GuidePage />}</Guard> },
      { path: 'counter', element: <Guard page="counter">{<CounterPage />}</Guard> },
      { path: 'floor', element: <Guard page="floor">{<FloorPage />}</Guard> },
      { path: 'queue/appointments', element: <Guard page="appointments">{<AppointmentsPage />}</Guard> },
      { path: 'queue/stats', element: <Guard page="queueStats">{<QueueStatsPage />}</Guard> },
      { path: 'queue/config', element: <Guard page="queueConfig">{<QueueConfigPage />}</Guard> },
      { path: '*', element: <NotFound /> },
    ],
  },
]);

const REDUCED_MOTION = '(prefers-reduced-motion: reduce)';

/** Whether the person has asked their system for less motion (then no sliding lists or zooming dialogs). */
function useReducedMotion(): boolean {
  const [reduced, setReduced] = useState(() => window.matchMedia(REDUCED_MOTION).matches);
  useEffect(() => {
    const query = window.matchMedia(REDUCED_MOTION);
    const onChange = () => setReduced(query.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  return reduced;
}

function Localised({ children }: { children: ReactNode }) {
  const { lang } = useLang();
  const reducedMotion = useReducedMotion();
  useEffect(() => {
    dayjs.locale(lang === 'zh-CN' ? 'zh-cn' : 'en');
    document.documentElement.lang = lang;
    document.title = lang === 'zh-CN' ? 'Fuwu 服务管理平台' : 'Fuwu Service Management';
  }, [lang]);
  return (
    <ConfigProvider
      locale={lang === 'zh-CN' ? zhCN : enUS}
      button={{ autoInsertSpace: false }}
      theme={{ token: { motion: !reducedMotion } }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <LangProvider>
      <Localised>
        <AuthProvider>
          <RouterProvider router={router} />
        </AuthProvider>
      </Localised>
    </LangProvider>
  );
}
