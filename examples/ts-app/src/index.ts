export { createUser, type User } from './api/users';
export { total, type Order } from './api/orders';
export { invoiceNumber } from './api/invoices';
export { subjectLine } from './services/mailer';
export { searchIndex, LOGGER_HINT } from './services/search';
export { report } from './cli/report';
export { slugify, truncate, titleCase } from './utils/strings';
