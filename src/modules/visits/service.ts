/**
 * Counter business acceptance (issue #13, SPEC §2.2): the index of the visit's commands and queries, split
 * by the stage of the work (DESIGN "When a module grows"):
 * - `open.ts`: opening a visit from a ticket or for a walk-in, its customer, the counter's customer search,
 *   reading and listing visits;
 * - `transactions.ts`: one piece of business (catalogue, form, identity, retention, ID copy, effects through
 *   `subscriptions.ts`), and removing one before signing;
 * - `money.ts`: payments and the clerk's cash day;
 * - `signing.ts`: the one signed document, closing (finishing the ticket), reprint, void, corrections;
 * - `pad.ts`: the counter's customer pad (password, signature);
 * - `password.ts`: the service password and its lockout.
 */
export { getVisit, listVisits, openVisit, searchVisitCustomer, setVisitCustomer } from './open.ts';
export { addTransaction, removeTransaction } from './transactions.ts';
export { addPayment, cashDay, closeCashDay } from './money.ts';
export {
  closeVisit,
  correctLine,
  documentPdf,
  reprintDocument,
  signVisit,
  visitDocument,
  voidVisit,
} from './signing.ts';
export { padPassword, padSign, padVisit, requestPad } from './pad.ts';
export { applyChanges } from './subscriptions.ts';
