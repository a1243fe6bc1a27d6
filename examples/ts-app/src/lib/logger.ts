/** Structured logging for the storefront API. */

export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface LoggerOptions {
  name: string;
  level?: Level;
}

export interface Logger {
  readonly name: string;
  readonly level: Level;
  log(level: Level, message: string, fields?: Record<string, unknown>): string | undefined;
}

const ORDER: Level[] = ['debug', 'info', 'warn', 'error'];

export function createLogger(options: LoggerOptions): Logger {
  const level = options.level ?? 'info';
  return {
    name: options.name,
    level,
    log(at, message, fields = {}) {
      if (ORDER.indexOf(at) < ORDER.indexOf(level)) return undefined;
      return JSON.stringify({ logger: options.name, level: at, message, ...fields });
    },
  };
}

// ---- deprecated: makeLogger(name, level) — use createLogger({ name, level }) ----
/** @deprecated use createLogger({ name, level }) */
export function makeLogger(name: string, level?: Level): Logger {
  return createLogger({ name, level });
}
// ---- end deprecated ----
