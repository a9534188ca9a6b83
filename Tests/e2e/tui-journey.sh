#!/usr/bin/env bash
# End-to-end: drives the real binary in tmux through a user's journey and checks the screen at each
# step (capture-pane), the exit status, the pane title, and that SIGTERM restores the terminal.
# Usage: tui-journey.sh BINNACLE_BINARY SAMPLE_DATA_DIR
set -euo pipefail
bin=$(realpath "$1")
sample=$(realpath "$2")
command -v tmux >/dev/null || { echo "tui-journey: tmux is not installed"; exit 1; }
work=$(mktemp -d)
sock="binnacle-e2e-$$"
cleanup() { tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

db="$work/demo.sqlite"
"$bin" import bundle "$sample" --db "$db" >/dev/null
# A model whose name tries to set the terminal title: it must show as text, never act.
sqlite3 "$db" "INSERT INTO models (id, name, domain, kind, risk_tier, business_owner, developer, created_at)
  SELECT 'evil-title', char(27) || ']2;PWNED' || char(7) || 'Evil title', 'Marketing', 'other', 3, business_owner, developer, '2024-01-01T00:00:00.000Z'
  FROM models LIMIT 1;"

# Act as an AI lead of the sample (the suite runs as root, who may act as anyone).
lead=$(sqlite3 "$db" "SELECT login FROM people WHERE role = 'ai_lead' AND active = 1 ORDER BY login LIMIT 1")

step=0
fail() { echo "FAIL step $step: $*"; echo "--- screen ---"; screen || true; exit 1; }
screen() { tmux -L "$sock" capture-pane -p -t "$session"; }
# Waits until TEXT is on screen (wait_for) or gone from it (wait_gone), failing after SECONDS (default 10).
wait_until() { # present|gone TEXT [SECONDS]
  local deadline=$((SECONDS + ${3:-10}))
  while true; do
    if screen | grep -qF -- "$2"; then [ "$1" = present ] && return 0; else [ "$1" = gone ] && return 0; fi
    [ $SECONDS -lt $deadline ] || fail "'$2' is $([ "$1" = present ] && echo "not on" || echo "still on") screen"
    sleep 0.1
  done
}
wait_for() { wait_until present "$@"; }
wait_gone() { wait_until gone "$@"; }
keys() { tmux -L "$sock" send-keys -t "$session" "$@"; }
expect_step() { step=$((step + 1)); echo "ok $step - $1"; }

session=""
start() { # [WIDTH HEIGHT [LOGIN [FLAG]]]: starts the dashboard in a new session (120x40, as the AI lead, in $LOCALE or
          # C.UTF-8); its exit status goes to $work/status
  [ -z "$session" ] || tmux -L "$sock" kill-session -t "$session" 2>/dev/null || true
  session="e2e$((step + 1))"
  rm -f "$work/status" "$work/stty"
  tmux -L "$sock" -f /dev/null new-session -d -s "$session" -x "${1:-120}" -y "${2:-40}" \
    "env TERM=xterm-256color LANG=${LOCALE:-C.UTF-8} LC_ALL=${LOCALE:-C.UTF-8} BINNACLE_CACHE_DIR=$work/cache $bin tui --db $db --as-of 2026-11-21 --as ${3:-$lead} ${4:-}; echo exit=\$? > $work/status; stty -a > $work/stty; sleep 3" \
    </dev/null >/dev/null 2>&1  # the tmux server must not hold our caller's pipes open
  tmux -L "$sock" set-option -t "$session" allow-rename on >/dev/null
}

start
wait_for "KEY INDICATOR"; expect_step "overview shows the KPIs"
wait_for "Impact share"; wait_for "DOMAINS"; expect_step "overview shows the domain table"
keys 2; wait_for "Binnacle › Models"; expect_step "2 opens Models"
keys / f r a u d Enter; wait_for "matching “fraud”"; expect_step "/ filters the models"
wait_gone "Churn propensity"
keys Enter; wait_for "Card fraud detector"; wait_for "STAGE TIMELINE"; expect_step "Enter opens the model"
keys Tab Tab Tab Tab; wait_for "UPSTREAM"; expect_step "Tab reaches the lineage tab"
keys Enter; wait_for "DEPENDS ON IT"; expect_step "Enter on an upstream node opens the asset view"
keys Escape; wait_for "UPSTREAM"; keys Escape; wait_for "matching “fraud”"; expect_step "Esc goes back along the breadcrumbs"
keys : e x p o r t Space c s v Space "$work/fraud.csv" Enter; wait_for "rows to $work/fraud.csv"
written=$(screen | grep -o "wrote [0-9]* rows" | grep -o "[0-9]*")
[ "$(head -1 "$work/fraud.csv" | cut -d, -f1)" = NAME ] || fail "the export has no NAME column: $(head -1 "$work/fraud.csv")"
[ $(($(wc -l < "$work/fraud.csv") - 1)) = "$written" ] || fail "the export holds $(wc -l < "$work/fraud.csv") lines for $written rows"
screen | grep -q "^ $written of [0-9]* models" || fail "the screen does not count $written models"
grep -q "^Card fraud detector," "$work/fraud.csv" && ! grep -q "Churn propensity" "$work/fraud.csv" || fail "the export is not the filtered list"
keys : e x p o r t Space c s v Space "$work/fraud.csv" Enter; wait_for "exists"
expect_step ":export writes the filtered list, re-read from the file, and refuses to overwrite it"
keys 3; wait_for "Binnacle › Alerts"; wait_for "critical"; expect_step "3 opens Alerts"
keys a; wait_for "Assign a remediation task on"; expect_step "a on an alert opens the assign form"
keys Enter; wait_for "[y/N]"; keys y; wait_for "assigned T-"; expect_step "the task is assigned after confirmation"
task=$(screen | grep -o "assigned T-[0-9]*" | head -1 | cut -d' ' -f2)
screen | grep -q " OPEN TASK" || fail "the Alerts screen does not say who is on each alert"
keys a; wait_for "duplicate open task $task “"; expect_step "a again on the alert names the duplicate open task $task as the form opens"
keys Escape; wait_gone "Assign a remediation task on"
"$bin" audit log --db "$db" --actor "$lead" | grep -q "task.assign" || fail "the assignment is not in the audit log"
"$bin" audit verify --db "$db" | grep -q "^intact" || fail "the chain does not verify after the assignment"
expect_step "the assignment is in the audit trail and the chain verifies"
keys '?'; wait_for "any other key closes this help"; expect_step "? shows help from the key table"
keys x; wait_gone "any other key closes this help"
tags=$(sqlite3 "$db" "SELECT tags FROM models WHERE tags <> '' UNION SELECT tags FROM assets WHERE tags <> ''" | tr ';' '\n' | LC_ALL=C sort -u)
keys : t a Tab; wait_for ":tag █"; keys Tab; wait_for " $(head -1 <<<"$tags")"
# The candidates sit in the rows just above the prompt, in order.
n=$(wc -l <<<"$tags"); k=$((n <= 10 ? n : 9))   # ten rows at most: nine and a "… N more" line
shown=$(screen | grep -B 12 "^:tag █" | grep -v "^:tag" | tail -n "$k" | awk '{print $1}')
[ "$shown" = "$(head -n "$(wc -l <<<"$shown")" <<<"$tags")" ] || fail "the candidates above the prompt are not the tags: $shown"
keys Escape; expect_step ":ta Tab completes :tag, a second Tab lists the tags above the prompt"
# Another process ingests an observation that turns a healthy production model (the sample's fraud
# detector) critical.
healthy=$(sqlite3 "$db" "SELECT model_id || ',' || metric || ',2026-11-21T12:00:00Z,' || CASE direction WHEN 'above' THEN critical + 1 ELSE critical - 1 END
  FROM monitors WHERE model_id = 'card-fraud-detector' ORDER BY metric LIMIT 1")
[ -n "$healthy" ] || fail "the sample has no monitor on card-fraud-detector"
printf 'model_id,metric,observed_at,value\n%s\n' "$healthy" | "$bin" ingest observations - --db "$db" --as "$lead" >/dev/null || fail "the ingest failed"
wait_for "newly critical: ${healthy%%,*}" 6; expect_step "an ingest from another process shows up as a new critical alert within seconds"
keys : a s o f Space 2 0 2 6 - 0 6 - 3 0 Enter; wait_for "as of 2026-06-30"; expect_step ":asof travels in time"
keys 2 / e v i l Enter; wait_for "␛]2;PWNED␇Evil title"; expect_step "a hostile name is shown as text"
title=$(tmux -L "$sock" display-message -p -t "$session" '#{pane_title}')
case "$title" in *PWNED*) fail "the pane title was set by data: $title";; esac
expect_step "the pane title was never set by data"
keys Q
for _ in $(seq 50); do [ -f "$work/status" ] && break; sleep 0.1; done
[ "$(cat "$work/status" 2>/dev/null)" = "exit=0" ] || fail "Q did not exit 0: $(cat "$work/status" 2>/dev/null)"
expect_step "Q quits with status 0"

# At 80x24: a list's count and column titles stay while its rows scroll; the help scrolls to its last key.
# Started at that size: a resize (SIGWINCH) does not reach the dashboard when run under `swift test`.
start 80 24
wait_for "KEY INDICATOR"
keys 2; wait_for "Binnacle › Models"; wait_for "rows 1–"
keys PageDown PageDown PageDown; wait_gone "rows 1–"
screen | sed -n 3p | grep -q "models as of" && screen | sed -n 4p | grep -q "NAME" || fail "the Models heading scrolled away"
expect_step "the Models count and column titles stay on screen after 3 PgDn at 80x24"
keys '?'; wait_for "any other key closes this help"
! screen | grep -qF "back to today" || fail "the whole help fits at 80x24: nothing to scroll"
keys PageDown PageDown; wait_for "back to today"; expect_step "? scrolls to its last key at 80x24"
keys Escape; wait_gone "any other key closes this help"
keys Q
for _ in $(seq 50); do [ -f "$work/status" ] && break; sleep 0.1; done

# A reader (an executive) is refused as the key is pressed: no form opens to be filled in first.
reader=$(sqlite3 "$db" "SELECT login FROM people WHERE role = 'executive' AND active = 1 ORDER BY login LIMIT 1")
start 120 40 "$reader"
wait_for "KEY INDICATOR"
keys 3; wait_for "Binnacle › Alerts"; keys a; wait_for "refused: you are $reader (executive)"
! screen | grep -qF "Assign a remediation task" || fail "the assign form opened for a reader"
expect_step "a form is refused before it opens for a read-only user"
keys Q
for _ in $(seq 50); do [ -f "$work/status" ] && break; sleep 0.1; done

# With --mouse, clicks as the terminal sends them (SGR 1006, 1-based): a screen's tab, a column title, a row.
click_seq() { printf '\e[<0;%d;%dM\e[<0;%d;%dm' $(($1 + 1)) $(($2 + 1)) $(($1 + 1)) $(($2 + 1)); }
click() { keys -l "$(click_seq "$1" "$2")"; }
start 120 40 "$lead" --mouse
wait_for "KEY INDICATOR"
tab=$(screen | sed -n 2p); click $(($(awk -v s="$tab" 'BEGIN { print index(s, "6 Tasks") }') - 1)) 1
wait_for "Binnacle › Tasks"; expect_step "a click on a tab shows its screen"
titles=$(screen | sed -n 4p); click $(($(awk -v s="$titles" 'BEGIN { print index(s, "DUE") }') - 1)) 3
wait_for "DUE▲"; wait_for "sorted by due"; expect_step "a click on a column title sorts by it"
row=$(screen | sed -n 7p | cut -c2-9); click 20 6
for _ in $(seq 30); do screen | sed -n 7p | grep -q "^›" && break; sleep 0.1; done
screen | sed -n 7p | grep -q "^›$row" || fail "the clicked row ($row) is not selected"
expect_step "a click selects a row"
# A double click (both clicks sent at once, as a quick hand does) on another row opens it, as Enter.
other=$(screen | sed -n 9p | cut -c2-9); keys -l "$(click_seq 20 8)$(click_seq 20 8)"
wait_for "Tab/←/→ switch"; screen | grep -qF "$other" || fail "the double-clicked task ($other) is not on the page opened"
expect_step "a double click on a row opens it ($other)"
keys Q
for _ in $(seq 50); do [ -f "$work/status" ] && break; sleep 0.1; done

# A risk officer approves a draft: A asks for its expiry (a year on), checked as it is typed, and the
# approval records it (in the audit entry too).
officer=$(sqlite3 "$db" "SELECT login FROM people WHERE role = 'risk_officer' AND active = 1 ORDER BY login LIMIT 1")
draft=suitability-risk-profiler-baltics
[ "$(sqlite3 "$db" "SELECT COUNT(*) FROM documents WHERE model_id = '$draft' AND approved_at IS NULL")" = 1 ] || fail "the sample has no draft on $draft"
start 120 40 "$officer"
wait_for "KEY INDICATOR"
keys ":model $draft" Enter; wait_for "STAGE TIMELINE"
keys Tab Tab Tab; wait_for "VERSIONS"
year=$(date -u -d "+1 year" +%F)
keys A; wait_for "Approve $draft"; wait_for "$year█"; expect_step "A asks for the expiry, a year on ($year)"
keys BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace 2 0 2 0 - 0 1 - 0 1
wait_for "expires 2020-01-01 is not after today"; expect_step "an expiry in the past is named as it is typed"
keys BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace "$year" Enter; wait_for "expiring $year?"
keys y; wait_for "approved $draft"
[ "$(sqlite3 "$db" "SELECT substr(expires_at, 1, 10) FROM documents WHERE model_id = '$draft'")" = "$year" ] || fail "the expiry was not recorded"
"$bin" audit log --db "$db" --actor "$officer" | grep "document.approve" | grep -q "$year" || fail "the audit entry does not hold the expiry"
expect_step "the approval records the expiry $year, in the audit entry too"
keys Q
for _ in $(seq 50); do [ -f "$work/status" ] && break; sleep 0.1; done

# In the C locale (not UTF-8) every symbol has an ASCII stand-in of its own: nothing is left for curses to draw as ?.
LOCALE=C start
# "idea -> produc": at 120 columns the trend's previous values (ASCII arrows are wider) leave the label
# one column short of its end; only the frame before the trend came in showed it whole.
wait_for "KEY INDICATOR"; wait_for "idea -> produc"; wait_for "crit (models) . warn"
! screen | LC_ALL=C grep -q '[^ -~]' || fail "a character that is not ASCII reached a C-locale terminal: $(screen | LC_ALL=C grep -n '[^ -~]' | head -3)"
expect_step "in the C locale the dashboard draws ASCII only, each symbol its own"
keys Q
for _ in $(seq 50); do [ -f "$work/status" ] && break; sleep 0.1; done

start
wait_for "KEY INDICATOR"
pid=$(pgrep -f "^$bin tui --db $db" | head -1)
[ -n "$pid" ] || fail "cannot find the dashboard process"
kill -TERM "$pid"
for _ in $(seq 50); do [ -f "$work/status" ] && break; sleep 0.1; done
[ -f "$work/status" ] || fail "SIGTERM did not end the dashboard"
wait_gone "KEY INDICATOR" 5
for _ in $(seq 50); do [ -s "$work/stty" ] && break; sleep 0.1; done
grep -q -- " icanon" "$work/stty" && grep -q -- " echo " "$work/stty" || fail "the terminal modes were not restored: $(cat "$work/stty")"
expect_step "SIGTERM restores the terminal ($(cat "$work/status"))"
echo "tui journey: $step passed, 0 failed"
