import { randomUUID } from 'node:crypto';

/**
 * This phasegate process's identity, given to every command it starts (PHASEGATE_RUN_ID) and
 * written in the repository lock. After a kill -9, the next phasegate finds what the dead one
 * started by this marker, not by pid or process group: a pid reused by an unrelated process does
 * not carry it, so nothing unrelated is ever signalled.
 */
export const RUN_ID_VARIABLE = 'PHASEGATE_RUN_ID';
export const RUN_ID = randomUUID();
