#!/bin/sh
# git-note.sh — attach a passed phase's results to its commit as a git note.
#
# In a plan:
#
#   hooks:
#     after-phase: hooks/git-note.sh
#
# phasegate records each phase's results (checks, score, durations) in the message of the phase's
# annotated tag: a summary line, then JSON. Tags are deleted when a phase is rolled back; this hook copies the record
# to a note on the tagged commit (notes ref `refs/notes/phasegate`, or $PHASEGATE_NOTES_REF), so it
# travels with the commit through cherry-picks and reviews:
#
#   git log --notes=phasegate            # every checkpoint commit with its results
#   git notes --ref=phasegate show <commit-or-tag>
#   git push origin refs/notes/phasegate # share them
#
# Runs only for after-phase (other events have no tag yet). Notes need a committer identity; when
# the repository has none (a fresh CI runner) it uses "phasegate <phasegate@localhost>".
# Exits non-zero only if git refuses to write the note: phasegate then reports a warning and the
# migration goes on.

set -u
[ "${PHASEGATE_EVENT:-}" = after-phase ] || exit 0
tag=${PHASEGATE_TAG:-}
if [ -z "$tag" ] || ! git rev-parse -q --verify "refs/tags/$tag" >/dev/null; then
	echo "git-note.sh: no tag '$tag' to take results from; nothing noted" >&2
	exit 0
fi

if ! git config user.email >/dev/null 2>&1; then
	GIT_AUTHOR_NAME=phasegate GIT_AUTHOR_EMAIL=phasegate@localhost
	GIT_COMMITTER_NAME=phasegate GIT_COMMITTER_EMAIL=phasegate@localhost
	export GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
fi

ref=${PHASEGATE_NOTES_REF:-phasegate}
commit=$(git rev-parse "refs/tags/$tag^{commit}") || exit 1
git for-each-ref --format='%(contents)' "refs/tags/$tag" | git notes --ref="$ref" add --force --file=- "$commit"
