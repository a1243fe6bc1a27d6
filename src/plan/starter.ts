import { existsSync } from 'node:fs';
import path from 'node:path';
import { packageFile } from '../package-file.js';

/** The commented starter plan `phasegate init` writes. It must pass `phasegate check` as written. */
export function starterPlan(name: string, schema: string): string {
  return `# yaml-language-server: $schema=${schema}
# A phasegate plan: phases that transform the repository, validate the result, and are
# checkpointed with a git tag. A phase whose checks fail is reverted automatically.
#   phasegate check ${name}            validate this file
#   phasegate run ${name} --dry-run    try it in a scratch clone, print the diff
#   phasegate run ${name} --yes        run it on branch phasegate/${name}
#   phasegate rollback <phase|base>    go back to any phase's tag
version: 1
name: ${name}
title: Describe the migration in a few words
# branch: migrate/${name}        # default: phasegate/${name}
files: ["**/*"]                   # default scope of transforms and checks (tracked files only)
# carry: [node_modules]           # git-ignored paths the checks need in --dry-run and rehearse

# preflight:                      # must pass before anything changes
#   - run: npm test

# hooks:                          # before-phase, after-phase, on-failure, after-rollback, after-run
#   after-phase: [hooks/log-event.sh]

phases:
  - id: rename-api                # lowercase letters, digits and dashes; used in the tag name
    title: Rename the old API
    transform:
      # A JavaScript regex, multiline; $1 and $<name> refer to groups. literal: true for plain text.
      - replace: '\\boldApiCall\\('
        with: 'newApiCall('
      # Other steps:
      # - rename: src/legacy.js
      #   to: '{dir}/{name}.deprecated{ext}'
      #   missing: ignore
      # - delete: 'src/**/*.bak'
      # - run: npx prettier --write src
      #   timeout: 5m
      # - codemod: 'oldApi($$$ARGS)'
      #   fix: 'newApi($$$ARGS)'
      #   language: typescript
    validate:
      - forbid: '\\boldApiCall\\('  # fails with file:line for every match
      # - forbid: {pattern: 'oldApi($$$A)', language: typescript}   # on the syntax tree: not in strings or comments
      # - run: npm test
      #   timeout: 10m
      # - count: '^export function newApiCall\\b'
      #   max: 1
      # - require: 'newApiCall'
      #   weight: 2
      #   required: true
      # - score: 85                 # pass at 85 % of the weighted checks (required ones must pass)
    rollback:                       # commands run after git restored the checkpoint
      - run: 'true'
`;
}

/**
 * The editor schema as seen from the plan's folder. The repository's own installed phasegate
 * (node_modules/phasegate, a dev dependency) first: a relative path that holds on every clone.
 * Otherwise the schema of the phasegate that is running — a global install or a checkout
 * elsewhere — relative when it lies inside the repository, else absolute (editors accept both).
 */
export function schemaReference(root: string, planDir: string): string {
  const local = path.join(root, 'node_modules', 'phasegate', 'schema', 'plan.schema.json');
  const own = packageFile('schema/plan.schema.json');
  const file = existsSync(local) ? local : own;
  const relative = path.relative(root, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return file;
  return path.relative(planDir, file).split(path.sep).join('/');
}
