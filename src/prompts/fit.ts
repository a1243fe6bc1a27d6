/**
 * A prompt's message cut to the terminal. inquirer draws the whole message again on every key; a
 * message taller than the screen scrolls its top away, and what scrolled away cannot be cleared,
 * so every arrow key left another copy of the plan overview behind. The first lines and the last
 * (the question itself) are kept; the cut says how many lines it left out.
 */
export function fitMessage(message: string, reservedRows: number, rows: number | undefined, columns: number | undefined): string {
  if (!rows) return message;
  const width = Math.max(columns ?? 80, 20);
  const lines = message.split('\n');
  const height = (line: string) => Math.max(1, Math.ceil([...line].length / width));
  const room = rows - reservedRows;
  const total = lines.reduce((sum, line) => sum + height(line), 0);
  if (total <= room || lines.length < 3) return message;
  const question = lines.at(-1)!;
  const kept: string[] = [];
  // One row for the cut's own line, and the question's.
  let used = 1 + height(question);
  for (const line of lines.slice(0, -1)) {
    if (used + height(line) > room) break;
    kept.push(line);
    used += height(line);
  }
  const left = lines.length - 1 - kept.length;
  return [...kept, `  … ${left} more line${left === 1 ? '' : 's'} (a taller terminal shows them; the plan file has them all)`, question].join('\n');
}
