/**
 * Whether git would take `name` as a branch name, by the rules of `git check-ref-format --branch`
 * (refs.c, check_refname_format on `refs/heads/<name>`), checked without a process so that
 * `check` touches nothing. On top of git's rules, names that git accepts but that would not mean
 * the branch where phasegate uses them are refused: `refs/heads/x` (git makes a branch literally
 * called so, `refs/heads/refs/heads/x`) and `@` (git's shorthand for HEAD).
 */
export function branchNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name === 'HEAD') return "'HEAD' is git's name for the current commit, not a branch";
  if (name === '@') return "'@' means HEAD to git; choose another name";
  if (name.startsWith('-')) return 'may not start with -';
  const full = /^refs\/heads\/(.+)/.exec(name);
  if (full) return `write the branch name without 'refs/heads/' (${full[1]})`;
  if (name.startsWith('refs/')) return "may not start with 'refs/' (git would make 'refs/heads/refs/…')";
  // eslint-disable-next-line no-control-regex
  const bad = /[\x00-\x20\x7f~^:?*[\\]/.exec(name);
  if (bad) return `may not contain ${bad[0] <= ' ' || bad[0] === '\x7f' ? 'spaces or control characters' : `'${bad[0]}'`}`;
  if (name.includes('..')) return "may not contain '..'";
  if (name.includes('@{')) return "may not contain '@{'";
  if (name.endsWith('.')) return "may not end with '.'";
  for (const part of name.split('/')) {
    if (part === '') return "may not start or end with '/' or contain '//'";
    if (part.startsWith('.')) return `no part may start with '.' ('${part}')`;
    if (part.endsWith('.lock')) return `no part may end with '.lock' ('${part}')`;
  }
  return undefined;
}
