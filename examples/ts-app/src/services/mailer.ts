import { makeLogger, type Level } from '../lib/logger';
import { truncate } from '../utils/strings';

const region = () => 'eu-west';
const levelFor = (service: string): Level => (service === 'mailer' ? 'warn' : 'info');

const log = makeLogger(`mailer:${region()}`, levelFor('mailer'));

export function subjectLine(subject: string): string {
  const line = truncate(subject, 60);
  log.log('warn', 'long subject shortened', { subject: line });
  return line;
}
