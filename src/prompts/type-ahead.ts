/**
 * Keys pressed while a step was still running wait in the terminal's buffer; the next prompt read
 * them as its answer — an Enter typed at a spinner accepted a review the person never saw, a
 * Down Down Enter aborted a phase. Before a question, whatever is waiting there is read and
 * dropped: an answer counts only once its question is on the screen.
 */
const SETTLE_MS = 30;

export async function discardTypeAhead(input: NodeJS.ReadStream = process.stdin): Promise<void> {
  if (!input.isTTY) return;
  const wasRaw = input.isRaw;
  input.setRawMode(true);
  // A Ctrl-C among them is still the person's Ctrl-C (raw mode makes it a byte, not a signal).
  const drop = (chunk: Buffer | string) => { if (chunk.includes('\u0003')) process.kill(process.pid, 'SIGINT'); };
  input.on('data', drop);
  input.resume();
  // libuv hands over what the terminal holds on the next turns of the loop.
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  input.off('data', drop);
  input.pause();
  input.setRawMode(wasRaw);
}
