import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { stripVTControlCharacters } from 'node:util';

/**
 * What a command prints, kept in bounded memory and linear time whatever it prints: the last
 * lines (each cut to its first and last few thousand characters), the first 256 KB for the
 * guided "show details" view, and — when given a log file — every byte, written as it arrives.
 *
 * Splitting `partial + chunk` on newlines (what this replaced) copies the unfinished line on every
 * chunk: a check printing 20 MB without a newline took 22 s, 100 MB never finished.
 */
const TAIL_LINES = 40;
const OUTPUT_CAP = 256 * 1024;
/** A long line keeps this much of its start and of its end. */
const LINE_HEAD = 4000;
const LINE_END = 4000;

export class OutputCollector {
  readonly tail: string[] = [];
  output = '';
  private readonly decoder = new StringDecoder('utf8');
  private head = '';
  private end = '';
  private length = 0;
  private log: number | undefined;

  constructor(private readonly onLine?: (line: string) => void, readonly logFile?: string) {
    if (logFile) {
      mkdirSync(path.dirname(logFile), { recursive: true });
      this.log = openSync(logFile, 'w');
    }
  }

  write(chunk: Buffer): void {
    // Synchronous: the pipe waits while the disk does, so memory never holds what is not written.
    if (this.log !== undefined) for (let done = 0; done < chunk.length;) done += writeSync(this.log, chunk, done);
    const text = this.decoder.write(chunk);
    // Tools that colour through a pipe (vitest, jest) would put escape codes into reports; the log keeps the raw bytes.
    if (this.output.length < OUTPUT_CAP) this.output += stripVTControlCharacters(text).slice(0, OUTPUT_CAP - this.output.length);
    let start = 0;
    for (let newline = text.indexOf('\n', start); newline >= 0; newline = text.indexOf('\n', start)) {
      this.append(text.slice(start, newline));
      this.endLine();
      start = newline + 1;
    }
    if (start < text.length) this.append(text.slice(start));
  }

  /** The command is done: the last line, even without a newline, and the log closed. */
  close(): void {
    const rest = this.decoder.end();
    if (rest) this.append(rest);
    if (this.length > 0) this.endLine();
    if (this.log !== undefined) closeSync(this.log);
    this.log = undefined;
  }

  private append(piece: string): void {
    this.length += piece.length;
    if (this.head.length < LINE_HEAD) {
      const taken = piece.slice(0, LINE_HEAD - this.head.length);
      this.head += taken;
      piece = piece.slice(taken.length);
    }
    if (!piece) return;
    this.end += piece;
    // Amortised: the end is cut back only once it holds twice what is kept.
    if (this.end.length > 2 * LINE_END) this.end = this.end.slice(-LINE_END);
  }

  private endLine(): void {
    const end = this.end.slice(-LINE_END);
    const hidden = this.length - this.head.length - end.length;
    let line = hidden > 0 ? `${this.head} … ${hidden.toLocaleString('en-US')} more characters … ${end}` : this.head + end;
    line = stripVTControlCharacters(line.replace(/\r$/, ''));
    this.head = '';
    this.end = '';
    this.length = 0;
    this.tail.push(line);
    if (this.tail.length > TAIL_LINES) this.tail.shift();
    this.onLine?.(line);
  }
}
