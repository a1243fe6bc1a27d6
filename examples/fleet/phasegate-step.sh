#!/bin/sh
# One repository's step for a fan-out tool (multi-gitter, turbolift): run the plan unattended on
# the branch the tool checked out, keep the report, and answer with an exit code the tool reads.
#
#   PHASEGATE          the command (default: phasegate, installed with npm install -g /path/to/phasegate)
#   PHASEGATE_PLAN     plan file in each repository (default plans/websocket-notifier-ssot.yaml)
#   PHASEGATE_REPORTS  folder for the reports, outside the repositories (default /tmp/phasegate-reports)
#   PHASEGATE_SQUASH   1: hand the gated result back as uncommitted changes, for a tool that makes
#                      its own single commit (multi-gitter without --manual-commit)
#
# phasegate's exit codes, as the tool sees them:
#   0  changed (this run tagged at least one phase) — or nothing to do: the report's "changed"
#      is false; with PHASEGATE_SQUASH the tree is then clean, which multi-gitter reads as "no change"
#   1  a phase failed its checks and was rolled back; the phases before it are still tagged
#   2  refused before changing anything (dirty tree, bad plan, preflight failed)
#   3  could not restore automatically: a person must look (the message says what to do)
set -u
plan=${PHASEGATE_PLAN:-plans/websocket-notifier-ssot.yaml}
reports=${PHASEGATE_REPORTS:-/tmp/phasegate-reports}
name=${REPOSITORY:-$(basename "$PWD")}        # multi-gitter sets REPOSITORY (owner/name)
mkdir -p "$reports"
report="$reports/$(printf '%s' "$name" | tr '/' '_').json"

${PHASEGATE:-phasegate} run "$plan" --yes --no-branch --report "$report" --pr-body "${report%.json}.md"
code=$?

if [ "$code" -eq 0 ] && [ "${PHASEGATE_SQUASH:-0}" = 1 ]; then
  # The tool commits the working tree itself: give it the whole migration as one change. The
  # per-phase commits and tags stay in this clone only; the PR body lists each phase's checks.
  # A fresh clone per run (as multi-gitter makes) starts the plan over, so nothing is lost here.
  base=$(git describe --tags --abbrev=0 --match 'phasegate/*/base' HEAD) && git reset --quiet --soft "$base"
fi
exit "$code"
