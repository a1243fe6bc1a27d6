import { makeLogger, type Level } from '../lib/logger';
import { truncate } from '../utils/strings';

const verbose: Level = 'debug';
// One logger per module, created once at import time.
const log = makeLogger(
  'api:orders',
  verbose,
);

export interface Order {
  id: string;
  items: { sku: string; quantity: number; price: number }[];
  note?: string;
}

export function total(order: Order): number {
  const sum = order.items.reduce((acc, item) => acc + item.quantity * item.price, 0);
  log.log('debug', 'order total', { id: order.id, sum, note: truncate(order.note ?? '', 20) });
  return sum;
}
