/** The rules of `git check-ref-format --branch`, checked without a process so `check` touches nothing. */
export function branchNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.startsWith('-')) return 'may not start with -';
  if (/[\s~^:?*[\\\x00-\x1f\x7f]/.test(name)) return 'may not contain spaces or any of ~ ^ : ? * [ \\';
  if (name.includes('..') || name.includes('@{') || name.includes('//')) return "may not contain '..', '@{' or '//'";
  if (name.startsWith('/') || name.endsWith('/') || name.endsWith('.') || name.endsWith('.lock')) {
    return "may not start or end with '/', or end with '.' or '.lock'";
  }
  if (name === '@' || name.split('/').some((part) => part.startsWith('.'))) return "no part may start with '.'";
  return undefined;
}
