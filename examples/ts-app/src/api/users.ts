import { makeLogger } from '../lib/logger';
import { slugify, titleCase } from '../utils/strings';

const log = makeLogger('api:users', 'debug');

export interface User {
  id: string;
  name: string;
  handle: string;
}

export function createUser(id: string, name: string): User {
  const user = { id, name: titleCase(name), handle: slugify(name) };
  log.log('info', 'user created', { id });
  return user;
}
