import { makeLogger } from '../lib/logger';
import { slugify } from '../utils/strings';
import { total, type Order } from './orders';

// makeLogger('api:invoices') used to be called per request; keep one per module.
const log = makeLogger('api:invoices');

export function invoiceNumber(order: Order, customer: string): string {
  const number = `${slugify(customer)}-${order.id}`;
  log.log('info', 'invoice', { number, amount: total(order) });
  return number;
}
