import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import type { RunReport } from './model.js';
import { formatPrBody } from './pr-body.js';

export interface ReportFiles { report?: string; summary?: string; junit?: string; prBody?: string }

/** Write the requested report files; paths are relative to where the user ran phasegate. */
export function writeReports(report: RunReport, files: ReportFiles, cwd: string): string[] {
  const written: string[] = [];
  const write = (file: string | undefined, content: () => string) => {
    if (!file) return;
    const target = path.resolve(cwd, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content());
    written.push(file);
  };
  write(files.report, () => `${JSON.stringify(report, null, 2)}\n`);
  write(files.summary, () => formatMarkdown(report));
  write(files.junit, () => formatJunit(report));
  write(files.prBody, () => formatPrBody(report));
  return written;
}
