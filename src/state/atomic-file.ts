import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';

/** Write-then-rename with fsync: after a kill -9 or power loss the file is the old or the new one. */
export function writeFileAtomic(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}
