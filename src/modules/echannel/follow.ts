/**
 * The e-channel's side of the slip's follow link (`modules/queue/follow.ts`): the ticket a link opens, and
 * following and cancelling it. Every refusal is the same 404.
 */
import type { FastifyRequest } from 'fastify';
import { systemActor } from '../../platform/auth/policy.ts';
import type { Ctx } from '../../platform/context.ts';
import { Problem, notFound } from '../../platform/http/problem.ts';
import { anonymousCtx } from '../../platform/http/request-context.ts';
import type { Ticket } from '../queue/contract.ts';
import { opens } from '../queue/follow.ts';
import { cancelTicket, getTicket } from '../queue/service.ts';
import type { TicketRow } from '../queue/shared.ts';
import { ticketWithNames, unitRefOf } from '../queue/shared.ts';

const NOT_FOUND = () => notFound({ zh: '号票', en: 'Ticket' });

/**
 * The ticket a follow link opens, and the context of a request made with it (a system actor of the
 * ticket's hall named after the slip). 404 for anything else.
 */
export async function followedTicket(
  req: FastifyRequest,
  ticketId: string,
  token: string,
): Promise<{ ctx: Ctx; ticket: TicketRow }> {
  const { database, clock } = req.server.deps;
  let ticket: TicketRow;
  try {
    ({ ticket } = await ticketWithNames(database.db, ticketId));
  } catch (e) {
    if (e instanceof Problem && e.status === 404) throw NOT_FOUND();
    throw e;
  }
  if (!opens(ticket, token, clock.now())) throw NOT_FOUND();
  const ctx = anonymousCtx(req, systemActor(unitRefOf(ticket), `slip ${ticket.number}`));
  return { ctx, ticket };
}

/** The followed ticket with its place in the line and expected wait. */
export async function getFollowed(req: FastifyRequest, ticketId: string, token: string): Promise<Ticket> {
  const { ctx } = await followedTicket(req, ticketId, token);
  return getTicket(ctx, ticketId, true);
}

/** Cancels the followed ticket while it waits (or is parked); the link is checked again on the locked row. */
export async function cancelFollowed(req: FastifyRequest, ticketId: string, token: string): Promise<Ticket> {
  const { ctx } = await followedTicket(req, ticketId, token);
  try {
    return await cancelTicket(ctx, ticketId, async (t: TicketRow) => opens(t, token, ctx.clock.now()));
  } catch (e) {
    if (e instanceof Problem && e.code === 'not_your_ticket') throw NOT_FOUND();
    throw e;
  }
}
