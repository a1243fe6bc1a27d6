import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach } from 'vitest';

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
  const repo = repoAt(tempDir());
  repo.git('init', '-q', '-b', 'main');
  repo.git('config', 'user.name', 'Test User');
  repo.git('config', 'user.email', 'test@example.com');
  repo.git('config', 'gc.auto', '0');
  repo.git('config', 'commit.gpgsign', 'false');
  repo.git('config', 'tag.gpgsign', 'false');
  for (const [file, content] of Object.entries(files)) repo.write(file, content);
  if (commit && Object.keys(files).length > 0) repo.commitAll('initial');
  return repo;
}

/** Templates made once per test file (see fromTemplate), removed when the file is done. */
const templates = new Map<string, string>();

afterAll(() => {
  for (const dir of templates.values()) rmSync(dir, { recursive: true, force: true });
  templates.clear();
});

/**
 * A repository that takes a phasegate run or more to build (a migration done, say), built once per
 * test file under `key` and handed to each test as a fresh byte-for-byte copy (`cp -a`: every file,
 * ref, the index and .git/phasegate). The copy's files have new inodes, so git re-checks them
 * against the index the first time, as it would after any copy of a repository.
 */
export async function fromTemplate(key: string, build: () => Promise<TestRepo>): Promise<TestRepo> {
  const template = templates.get(key);
  if (template) return copyRepo(template);
  const built = await build();
  const kept = mkdtempSync(path.join(os.tmpdir(), 'phasegate-template-'));
  execFileSync('cp', ['-a', `${built.dir}/.`, kept]);
  templates.set(key, kept);
  return built;
}

function copyRepo(from: string): TestRepo {
  const dir = tempDir();
  execFileSync('cp', ['-a', `${from}/.`, dir]);
  return repoAt(dir);
}

function repoAt(dir: string): TestRepo {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
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
  return repo;
}
