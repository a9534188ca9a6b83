#!/usr/bin/env bash
# End-to-end: one inventory on one host, shared by real unix users, as the README's "Who may do what"
# sets it up. Creates a group and users (needs root, as CI runs), then checks that
#   - a reader with read permission alone reads every report and screen, sees others' writes, and
#     leaves the file and its folder exactly as they were;
#   - an outsider's import, --replace, ingest and MLflow sync are refused, the file's hash unchanged;
#   - group members write as their role allows; a refusal changes no data and is audited;
#   - temporary files are private: planted symlinks are never followed, nothing is left behind.
# Usage: shared-deployment.sh BINNACLE_BINARY SAMPLE_DATA_DIR MLFLOW_STORE
set -euo pipefail
if [ "$(id -u)" != 0 ] || ! command -v useradd >/dev/null; then
  echo "shared deployment: skipped (needs root and useradd to create users)"; exit 0
fi
work=$(mktemp -d /tmp/binnacle-share-XXXXXX)
chmod 755 "$work"
id=$$
group=bnw$id
users=(bnlead$id bnexec$id bnpipe$id bneng$id bnout$id)
lead=${users[0]} exec=${users[1]} pipe=${users[2]} eng=${users[3]} out=${users[4]}
cleanup() {
  for u in "${users[@]}"; do userdel "$u" 2>/dev/null || true; done
  groupdel "$group" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
groupadd "$group"
for u in "${users[@]}"; do useradd -M -d "$work" -s /bin/bash "$u"; done
for u in "$lead" "$pipe" "$eng"; do usermod -aG "$group" "$u"; done

# Everything the users run is theirs to read: the binary, a bundle naming them, the MLflow store.
mkdir -p "$work/bin" "$work/bundle" "$work/srv"
cp "$1" "$work/bin/binnacle"; chmod 755 "$work/bin/binnacle"
cp "$2"/*.csv "$work/bundle/"
printf '%s\n' "$lead,Lena Lead,l@x,ai_lead,AI,true" "$exec,Erik Exec,e@x,executive,Board,true" \
  "$pipe,Nightly pipeline,p@x,service,Ops,true" "$eng,Emil Engineer,n@x,engineer,AI,true" >>"$work/bundle/people.csv"
cp "$3" "$work/mlflow.db"; chmod 644 "$work/mlflow.db" "$work/bundle"/*.csv
bin="$work/bin/binnacle"
db="$work/srv/inventory.sqlite"
admin=$(grep ',risk_officer,' "$work/bundle/people.csv" | head -1 | cut -d, -f1)

passed=0 failed=0
check() { # DESCRIPTION COMMAND...: passes when the command succeeds
  local what=$1; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $what"; fi
}
as() { local user=$1; shift; su -s /bin/bash "$user" -c "cd $work && env -u BINNACLE_DB BINNACLE_CACHE_DIR=none $*"; }
status_of() { set +e; "$@" >"$work/last.out" 2>"$work/last.err"; local s=$?; set -e; echo "$s"; }
state() { sha256sum "$db" | cut -d' ' -f1; ls -A "$work/srv" | tr '\n' ' '; }

# 1. Root imports into a root-owned 0755 folder: the file is 0644. Nobody else can write; all can read.
"$bin" import bundle "$work/bundle" --db "$db" >/dev/null
chmod 644 "$db"
before=$(state)
on="--as-of 2026-11-21"
for command in "report $on" "report --format json $on" "models $on" "audit verify" "show card-fraud-detector $on" "people list" \
               "snapshot --screen overview $on" "snapshot --screen models $on" "snapshot --screen alerts $on" \
               "snapshot --screen risk $on" "snapshot --screen people $on" "snapshot --screen tasks $on" "snapshot --screen audit"; do
  check "a reader runs '$command'" test "$(status_of as "$exec" "$bin $command --db $db")" = 0
done
check "a reader's check says breached or healthy, never 'could not check'" \
  test "$(status_of as "$exec" "$bin check --db $db --as-of 2026-11-21")" != 2
check "readers changed nothing and left no file behind" test "$(state)" = "$before"

# 1b. A file an earlier version left in WAL mode: a reader is told what to do; `migrate` makes it readable.
mkdir -p "$work/old"; cp "$db" "$work/old/inventory.sqlite"; old="$work/old/inventory.sqlite"
sqlite3 "$old" "PRAGMA journal_mode = WAL" >/dev/null
check "a reader of a WAL-mode file is told how to make it readable" \
  test "$(status_of as "$exec" "$bin report --db $old")" = 2 -a -n "$(grep -l 'binnacle migrate' "$work/last.err")"
check "migrate switches it to the rollback journal" test "$(status_of "$bin" migrate --db "$old" --as "$admin")" = 0
check "then the reader reads it" test "$(status_of as "$exec" "$bin report --db $old")" = 0

# 2. An outsider (not in people, not in the group) is refused everything, with the file untouched.
for command in "import bundle $work/bundle --replace" "ingest observations $work/bundle/observations.csv" \
               "import mlflow $work/mlflow.db" "task assign card-fraud-detector --to $lead --due 2030-01-01 --title x"; do
  s=$(status_of as "$out" "$bin $command --db $db")
  check "an outsider's '$command' is refused as such" test "$s" = 1 -a -n "$(grep -l 'who is not in people' "$work/last.err")"
done
check "the outsider's attempts left the file as it was" test "$(state)" = "$before"
s=$(status_of as "$lead" "$bin task assign card-fraud-detector --to $eng --due 2030-01-01 --title x --db $db")
check "an AI lead without write permission is told the file, not the role, stops them" \
  test "$s" = 1 -a -n "$(grep -l "you cannot write $db (file permissions)" "$work/last.err")"
check "and nothing was written" test "$(state)" = "$before"

# 3. The administrator shares it with the writers' group: folder setgid 2775, file 664.
check "root shares the inventory for an administrator" \
  test "$(status_of "$bin" share --group "$group" --db "$db" --as "$admin")" = 0
check "the folder and file are the group's" \
  test "$(stat -c '%G %a' "$work/srv") $(stat -c '%G %a' "$db")" = "$group 2775 $group 664"

# 4. Writers write as their role allows; the reader sees it at once.
check "an AI lead in the group assigns a task" \
  test "$(status_of as "$lead" "$bin task assign card-fraud-detector --to $eng --due 2030-01-01 --title Retrain --db $db")" = 0
check "the reader sees the new task" \
  grep -q "task.assign" <(as "$exec" "$bin audit log --db $db --actor $lead")
check "the pipeline ingests from standard input" \
  test "$(status_of as "$pipe" "printf 'model_id,metric,observed_at,value\ncard-fraud-detector,auc,2026-11-21T12:00:00Z,0.9\n' | $bin ingest observations - --db $db")" = 0
data() { as "$exec" "$bin report --db $db --as-of 2026-11-21 --format json"; as "$exec" "$bin models --db $db --as-of 2026-11-21"; }
reported=$(data)
check "the pipeline may not change a stage (service: ingest and sync only)" \
  test "$(status_of as "$pipe" "$bin stage set card-fraud-detector retired --db $db")" = 1
check "an engineer in the group may not replace the inventory" \
  test "$(status_of as "$eng" "$bin import bundle $work/bundle --replace --db $db")" = 1
check "refusals changed no data" test "$(data)" = "$reported"
check "both refusals are in the audit log" \
  test "$(as "$exec" "$bin audit log --db $db --format csv" | grep -c ',denied,')" = 2
check "the chain verifies" test "$(status_of as "$exec" "$bin audit verify --db $db")" = 0
check "the group member's write left only the inventory in the folder" test "$(ls -A "$work/srv")" = "inventory.sqlite"

# 5. Temporary files: planted symlinks at the old predictable names are never followed, and
#    standard input leaves nothing behind, even when the ingest is killed.
mkdir -m 1777 "$work/tmp"
echo untouched >"$work/victim"; chmod 666 "$work/victim"
next=$(cat /proc/sys/kernel/ns_last_pid 2>/dev/null || echo 1000)
for pid in $(seq "$next" $((next + 300))); do ln -s "$work/victim" "$work/tmp/binnacle-stdin-$pid"; done
planted=$(ls "$work/tmp" | wc -l)
as "$pipe" "printf 'model_id,metric,observed_at,value\ncard-fraud-detector,auc,2026-11-21T13:00:00Z,0.91\n' | TMPDIR=$work/tmp $bin ingest observations - --db $db" >/dev/null
check "no planted symlink was followed" test "$(cat "$work/victim")" = untouched
check "standard input left no file behind" test "$(ls "$work/tmp" | wc -l)" = "$planted"
as "$pipe" "sleep 30 | TMPDIR=$work/tmp $bin ingest observations - --db $db" >/dev/null 2>&1 &
sleep 1.5
pkill -9 -u "$pipe" || true
wait || true
check "a killed ingest left no copy of its input" test "$(ls "$work/tmp" | wc -l)" = "$planted"

# 6. A killed export's hidden staging folder is cleared by the next export.
mkdir -p "$work/export/.bundle.partial-4194304-Zx81Qa"
check "an export succeeds" test "$(status_of "$bin" export bundle "$work/export/bundle" --db "$db")" = 0
check "the abandoned staging folder is gone" test "$(ls -A "$work/export")" = "bundle"

echo "shared deployment: $passed passed, $failed failed"
[ "$failed" = 0 ]
