#!/bin/sh
# github-step-summary.sh — add phasegate's progress to a GitHub Actions job summary.
#
# In a plan:
#
#   hooks:
#     after-phase: hooks/github-step-summary.sh
#     on-failure: hooks/github-step-summary.sh
#     after-run: hooks/github-step-summary.sh
#
# GitHub Actions renders the Markdown appended to the file named by $GITHUB_STEP_SUMMARY on the
# run's page. This hook adds one table row per passed or failed phase, with the score read from the
# phase tag, and a closing line after the run. Outside GitHub Actions ($GITHUB_STEP_SUMMARY unset)
# it does nothing, so the same plan runs locally unchanged. (Hook output itself is captured by
# phasegate, not printed; a file is how a hook reaches the CI page.)
#
# Never fails: a summary problem must not stop a migration.

summary=${GITHUB_STEP_SUMMARY:-}
[ -n "$summary" ] || exit 0

score=""
if [ -n "${PHASEGATE_TAG:-}" ] && git rev-parse -q --verify "refs/tags/$PHASEGATE_TAG" >/dev/null; then
	# The tag message is a summary line, then the phase's results as JSON; "score" is null without a score gate.
	score=$(git for-each-ref --format='%(contents)' "refs/tags/$PHASEGATE_TAG" | sed -n 's/^  "score": \([0-9.]*\),\{0,1\}$/\1%/p')
fi

{
	case "${PHASEGATE_EVENT:-}" in
	after-phase | on-failure)
		# A new table unless the file already ends in one (rows of this run's earlier phases).
		if ! tail -n 1 "$summary" 2>/dev/null | grep -q '^|'; then
			printf '\n### phasegate: %s\n\n| phasegate phase | result | score | tag |\n| --- | --- | --- | --- |\n' "${PHASEGATE_PLAN:-}"
		fi
		if [ "$PHASEGATE_EVENT" = after-phase ]; then
			printf '| %s | ✅ passed | %s | `%s` |\n' "${PHASEGATE_PHASE:-}" "${score:--}" "${PHASEGATE_TAG:-}"
		else
			printf '| %s | ❌ failed, rolled back | - | - |\n' "${PHASEGATE_PHASE:-}"
		fi
		;;
	after-run)
		printf '\nphasegate run of `%s` finished: **%s**\n' "${PHASEGATE_PLAN:-}" "${PHASEGATE_STATUS:-}"
		;;
	esac
} >>"$summary" 2>/dev/null || echo "github-step-summary.sh: could not write to $summary" >&2
exit 0
