/**
 * A promise asked ahead of its use, so that git answers while other work goes on. It must not be
 * an unhandled rejection when nobody ends up waiting for it (a later question failed first, or
 * what it read no longer holds); whoever awaits it still gets the error.
 */
export function ahead<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
