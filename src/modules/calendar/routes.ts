import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CalendarDay, CalendarYear, DateParams, YearParams } from './contract.ts';
import { ctxOf } from '../../platform/http/request-context.ts';
import { calendarYear, removeCalendarDay, setCalendarDay } from './service.ts';
import { SECURITY } from '../../platform/http/openapi.ts';
import { NoContent } from '../../platform/contract.ts';

const tags = ['calendar 营业日历'];

export const calendarRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/calendar/:year',
    {
      schema: {
        operationId: 'getCalendar',
        security: SECURITY.staffOrDevice,
        summary: '营业日历 · The national calendar of a year: holidays and make-up workdays',
        tags,
        params: YearParams,
        response: { 200: CalendarYear },
      },
    },
    (req) => calendarYear(ctxOf(req), req.params.year),
  );
  app.put(
    '/api/calendar/days/:date',
    {
      schema: {
        operationId: 'setCalendarDay',
        summary: '设置日历日 · Mark a date as a holiday or a make-up workday',
        tags,
        params: DateParams,
        body: CalendarDay.omit({ date: true }),
        response: { 200: CalendarDay },
      },
    },
    (req) => setCalendarDay(ctxOf(req), { ...req.body, date: req.params.date }),
  );
  app.delete(
    '/api/calendar/days/:date',
    {
      schema: {
        operationId: 'removeCalendarDay',
        response: { 204: NoContent },
        summary: '删除日历日 · Remove a date’s holiday or make-up workday mark',
        tags,
        params: DateParams,
      },
    },
    async (req, reply) => {
      await removeCalendarDay(ctxOf(req), req.params.date);
      return reply.status(204).send(null);
    },
  );
};
