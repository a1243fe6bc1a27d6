#!/bin/sh
# log-event.sh — append one JSON line per phasegate event to a log file.
#
# In a plan (paths are relative to the repository root, where hooks run):
#
#   hooks:
#     after-phase: hooks/log-event.sh
#     on-failure: hooks/log-event.sh
#     after-rollback: hooks/log-event.sh
#     after-run: hooks/log-event.sh
#
# Each line looks like
#   {"time":"2026-11-25T21:30:00Z","event":"after-phase","plan":"websocket-notifier-ssot",
#    "phase":"foundation","tag":"phasegate/websocket-notifier-ssot/foundation","status":"passed","head":"1a2b3c4d5e"}
#
# The log goes to $PHASEGATE_EVENTS_LOG when set (a path; relative paths are from the repository
# root), else to .git/phasegate/events.log — inside .git, so it never dirties the working tree and
# is never committed into a checkpoint. Read it with `tail .git/phasegate/events.log` or jq.
#
# This hook never fails: a logging problem must not stop a migration (a failing before-phase hook
# would). It needs only POSIX sh, git, date and sed.

json_string() {
	# Escape backslashes and double quotes, drop control characters: enough for ids, tags, words.
	printf '"%s"' "$(printf '%s' "$1" | tr -d '\000-\037' | sed 's/\\/\\\\/g; s/"/\\"/g')"
}

if [ -n "${PHASEGATE_EVENTS_LOG:-}" ]; then
	log=$PHASEGATE_EVENTS_LOG
else
	common=$(git rev-parse --git-common-dir 2>/dev/null) || common=.git
	log=$common/phasegate/events.log
fi
mkdir -p "$(dirname "$log")" 2>/dev/null

head=$(git rev-parse --short=10 HEAD 2>/dev/null || echo "")
line="{\"time\":$(json_string "$(date -u +%Y-%m-%dT%H:%M:%SZ)")"
line="$line,\"event\":$(json_string "${PHASEGATE_EVENT:-}")"
line="$line,\"plan\":$(json_string "${PHASEGATE_PLAN:-}")"
line="$line,\"phase\":$(json_string "${PHASEGATE_PHASE:-}")"
line="$line,\"tag\":$(json_string "${PHASEGATE_TAG:-}")"
line="$line,\"status\":$(json_string "${PHASEGATE_STATUS:-}")"
line="$line,\"head\":$(json_string "$head")}"

if ! printf '%s\n' "$line" >>"$log" 2>/dev/null; then
	echo "log-event.sh: could not write to $log" >&2
fi
exit 0
