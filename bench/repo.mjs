// A generated repository that can be put back to a known state between measured runs.
import { execFileSync } from 'node:child_process';

export class BenchRepo {
  constructor(dir) {
    this.dir = dir;
  }

  git(...args) {
    return execFileSync('git', args, { cwd: this.dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] });
  }

  head() {
    return this.git('rev-parse', 'HEAD').trim();
  }

  tree(rev = 'HEAD') {
    return this.git('rev-parse', `${rev}^{tree}`).trim();
  }

  /** The tree the working tree would make if committed (stages, then unstages). */
  worktreeTree() {
    this.git('add', '-A');
    const tree = this.git('write-tree').trim();
    this.git('reset', '-q');
    return tree;
  }

  /** Tags and phasegate refs as { ref: object } (annotated tags keep their tag objects). */
  refs() {
    const lines = this.git('for-each-ref', '--format=%(refname) %(objectname)', 'refs/tags', 'refs/phasegate').split('\n').filter(Boolean);
    return Object.fromEntries(lines.map((line) => line.split(' ')));
  }

  /**
   * HEAD (on main), index and working tree at `commit`, no untracked files, and exactly `refs`.
   * The index is refreshed afterwards so every measured run starts from the same warm state.
   */
  restore(commit, refs = {}) {
    this.git('checkout', '-q', '-f', 'main');
    this.git('reset', '-q', '--hard', commit);
    this.git('clean', '-fdq');
    // Two transactions: git refuses a delete and a create of the same ref in one.
    this.updateRefs(Object.keys(this.refs()).map((ref) => `delete ${ref}`));
    this.updateRefs(Object.entries(refs).map(([ref, object]) => `create ${ref} ${object}`));
    this.git('update-index', '-q', '--refresh');
  }

  updateRefs(lines) {
    if (lines.length > 0) execFileSync('git', ['update-ref', '--stdin'], { cwd: this.dir, input: `${lines.join('\n')}\n` });
  }
}
