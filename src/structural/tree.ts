import type { NapiConfig, SgNode } from '@ast-grep/napi';

/**
 * Where a parse went wrong. For a whole file only ERROR nodes are looked for (one cheap query).
 * For a pattern or a rewritten region, also zero-width tokens — what tree-sitter inserts for a
 * missing one — except a missing `;` (an expression written alone in Java, Rust or C has no
 * terminator, and ast-grep matches it by the expression inside). Zero-width named nodes are
 * legitimate (the text of an empty `<script>`).
 */
const ERROR = { rule: { kind: 'ERROR' } } as unknown as NapiConfig;
const SUSPECT = { rule: { any: [{ kind: 'ERROR' }, { regex: '^$' }] } } as unknown as NapiConfig;

export function firstError(root: SgNode): SgNode | undefined {
  return root.find(ERROR) ?? undefined;
}

export function firstBroken(node: SgNode): SgNode | undefined {
  return node.findAll(SUSPECT).find((found) => found.kind() === 'ERROR' || (!found.isNamed() && found.kind() !== ';'));
}
