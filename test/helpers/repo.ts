import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

/**
 * Real temporary git repositories for behaviour tests: fixed branch name, identity set, gc off,
 * removed after each test. Nothing here mocks git or the file system.
 */
export interface TestRepo {
  dir: string;
  git(...args: string[]): string;
  write(file: string, content: string, mode?: number): void;
  read(file: string): string;
  exists(file: string): boolean;
  commitAll(message?: string): string;
  head(): string;
  tags(): string[];
  refs(): string[];
}

const created: string[] = [];

afterEach(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'phasegate-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export function makeRepo(files: Record<string, string> = {}, { commit = true } = {}): TestRepo {
  const dir = tempDir();
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Test User');
  git('config', 'user.email', 'test@example.com');
  git('config', 'gc.auto', '0');
  git('config', 'commit.gpgsign', 'false');
  git('config', 'tag.gpgsign', 'false');
  const repo: TestRepo = {
    dir,
    git,
    write(file, content, mode) {
      const target = path.join(dir, file);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, content);
      if (mode !== undefined) chmodSync(target, mode);
    },
    read: (file) => readFileSync(path.join(dir, file), 'utf8'),
    exists: (file) => existsSync(path.join(dir, file)),
    commitAll(message = 'commit') {
      git('add', '-A');
      git('commit', '-q', '-m', message);
      return repo.head();
    },
    head: () => git('rev-parse', 'HEAD').trim(),
    tags: () => git('tag', '-l').split('\n').filter(Boolean).sort(),
    refs: () => git('for-each-ref', '--format=%(refname)').split('\n').filter(Boolean).sort(),
  };
  for (const [file, content] of Object.entries(files)) repo.write(file, content);
  if (commit && Object.keys(files).length > 0) repo.commitAll('initial');
  return repo;
}
