import { unattended, type Decisions } from '../engine/decisions.js';

/** Guided decisions (issue 6). Until they exist, a terminal run behaves like an unattended one. */
export const guided: Decisions = unattended;
