#!/usr/bin/env bash
# End-to-end in a real browser: the board pack (`report --format html`) of a generated portfolio with
# one hostile model name, opened by headless Chromium from the file. Checks that
#   - the DOM holds the hostile name as text and no element it would have injected;
#   - no request leaves the file (Chromium's net log lists none a page started; the check is shown
#     able to fail on a copy that loads an image, and the page's policy shown to stop that image);
#   - the screenshot is a real page, and "Print to PDF" gives A4 pages holding the portfolio, the date
#     and every KPI label, with the header (portfolio, date, audit head) on every page.
# Chromium and poppler-utils come from scripts/setup.sh. Without Chromium this fails under CI=true and
# is skipped otherwise.
# Usage: browser.sh [BINNACLE_BINARY] [PNG_TO_KEEP]   (default: .build/debug/binnacle; keeps no PNG)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bin=$(realpath "${1:-.build/debug/binnacle}")
keep=${2:-}
fail() { echo "browser check: FAILED: $*" >&2; exit 1; }
trap 'echo "browser check: FAILED at line $LINENO" >&2' ERR

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ] || ! command -v pdftotext >/dev/null || ! command -v pdfinfo >/dev/null; then
  [ "${CI:-}" = "true" ] && fail "chromium or poppler-utils is not installed (scripts/setup.sh installs them)"
  echo "browser check: SKIPPED: chromium or poppler-utils is not installed (bash scripts/setup.sh installs them)"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
asof=2025-06-30
db="$work/inv.sqlite"

# Chromium from a file, with a profile of its own and none of its own background traffic; its
# chatter goes to a log shown when a step fails.
chrome() {
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --disable-extensions \
    --disable-background-networking --disable-component-update --disable-sync --disable-default-apps \
    --user-data-dir="$work/profile" "$@" 2>>"$work/chromium.log" ||
    { tail -n 20 "$work/chromium.log" >&2; fail "chromium $* failed"; }
}

# The requests a page started (Chromium's own have no page as initiator), one URL a line.
page_requests() { grep '"initiator"' "$1" | grep -v '"initiator":"not an origin"' | grep -o '"url":"[^"]*"' | sort -u || true; }

# A portfolio, then the model of its first alert renamed to markup and a terminal escape.
"$bin" generate --models 60 --seed 1 --as-of "$asof" --out "$work/bundle" >/dev/null
"$bin" import bundle --db "$work/probe.sqlite" "$work/bundle" >/dev/null
target=$("$bin" report --db "$work/probe.sqlite" --as-of "$asof" --format html | grep -o '<td class="id">[^<]*</td>' | head -n 1 | sed 's/<[^>]*>//g')
[ -n "$target" ] || fail "the generated portfolio has no alert to rename the model of"
hostile='"><script>alert(1)</script><img src=x onerror=alert(2)>'
csv_name="\"\"\"><script>alert(1)</script><img src=x onerror=alert(2)>$(printf '\033')]0;PWNED$(printf '\007')\""
sed -i "s|^$target,[^,]*,|$target,$csv_name,|" "$work/bundle/models.csv"
grep -q "^$target,\"\"\"><script>" "$work/bundle/models.csv" || fail "could not rename model $target"
"$bin" import bundle --db "$db" "$work/bundle" >/dev/null
"$bin" report --db "$db" --as-of "$asof" --format html >"$work/report.html"
portfolio=$("$bin" report --db "$db" --as-of "$asof" --format json | grep -o '"portfolio": "[^"]*"' | sed 's/.*: "//; s/"$//')
escaped='&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;␛]0;PWNED␇'
grep -qF "$escaped" "$work/report.html" || fail "the report does not show the hostile name escaped"
! grep -qF "$hostile" "$work/report.html" || fail "the hostile name is in the report raw"
# No request leaves a page (checked per page below). The net log must be able to tell: a copy without
# the policy that loads an image shows that request; the same image under the page's policy is refused
# unrequested.
sed 's|<meta http-equiv="Content-Security-Policy"[^>]*>||; s|<body>|<body><img src="http://example.invalid/x.png">|' \
  "$work/report.html" >"$work/leaky.html"
chrome --dump-dom --log-net-log="$work/leaky.json" "file://$work/leaky.html" >/dev/null
grep -q 'example.invalid' <<<"$(page_requests "$work/leaky.json")" || fail "the net log does not show a page's request: the check cannot fail"
sed 's|<body>|<body><img src="http://example.invalid/x.png">|' "$work/report.html" >"$work/blocked.html"
chrome --dump-dom --log-net-log="$work/blocked.json" "file://$work/blocked.html" >/dev/null
[ -z "$(page_requests "$work/blocked.json")" ] || fail "the content security policy let an image request through"


# Checks one page NAME.html (in $work) whose header reads TITLE: 1. its DOM, 2. no request, 3. a
# screenshot, 4. its PDF.
check_page() {
  local name=$1 title=$2
  url="file://$work/$name.html"

  # 1. The DOM as Chromium built it: the name is text, and it added no element.
  chrome --dump-dom --log-net-log="$work/$name-net.json" "$url" >"$work/$name-dom.html"
  grep -q '<div class="tile" data-kpi="impact_share">' "$work/$name-dom.html" || fail "$name: the DOM dump is not the board pack"
  grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;' "$work/$name-dom.html" ||
    fail "$name: the hostile name is not text in the DOM"
  ! grep -Eiq '<script|<img|onerror=' <(sed 's/&lt;[^<]*//g' "$work/$name-dom.html") || fail "$name: the hostile name became markup in the DOM"

  # No request left the file.
  requests=$(page_requests "$work/$name-net.json")
  [ -z "$requests" ] || fail "$name.html made requests: $requests"

  # 3. A screenshot of a real page.
  chrome --screenshot="$work/$name.png" --window-size=1280,1800 "$url" >/dev/null
  [ "$(head -c 8 "$work/$name.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "$name: the screenshot is not a PNG"
  [ "$(stat -c %s "$work/$name.png")" -gt 40000 ] || fail "$name: the screenshot is nearly empty ($(stat -c %s "$work/$name.png") bytes)"
  [ -z "$keep" ] || [ "$name" != report ] || cp "$work/$name.png" "$keep"

  # 4. Print to PDF: A4 pages, the figures' labels, the header on every page.
  chrome --print-to-pdf="$work/$name.pdf" --no-pdf-header-footer "$url" >/dev/null
  pages=$(pdfinfo "$work/$name.pdf" | awk '/^Pages:/ { print $2 }')
  [ "${pages:-0}" -ge 2 ] || fail "$name: the PDF has ${pages:-no} pages; this portfolio needs at least 2 (to see the header repeat)"
  pdfinfo "$work/$name.pdf" | grep -Eq '^Page size: .* pts \(A4\)' || fail "$name: the pages are not A4"
  pdftotext "$work/$name.pdf" "$work/$name.txt"
  flat=$(tr -s ' \n' '  ' <"$work/$name.txt")
  grep -qF "$portfolio" <<<"$flat" || fail "$name: the PDF does not name the portfolio '$portfolio'"
  grep -qF "as of $asof" <<<"$flat" || fail "$name: the PDF does not give the date $asof"
  labels=$(grep -o '<div class="label">[^<]*</div>' "$work/$name.html" | sed 's/<[^>]*>//g')
  [ "$(wc -l <<<"$labels")" -ge 10 ] || fail "$name: found only $(wc -l <<<"$labels") KPI labels in the report"
  while IFS= read -r label; do
    grep -qF "$label" <<<"$flat" || fail "$name: the PDF lacks the KPI label '$label'"
  done <<<"$labels"
  head_seq=$(grep -o 'audit head #[0-9]*' "$work/$name.html" | head -n 1)
  [ -n "$head_seq" ] || fail "$name: shows no audit head"
  page=0
  while IFS= read -r -d $'\f' text; do
    page=$((page + 1))
    [ "$page" -le "$pages" ] || break
    for want in "$portfolio" "$title as of $asof" "$head_seq"; do
      grep -qF "$want" <<<"$(tr -s ' \n' '  ' <<<"$text")" || fail "$name: page $page of $pages lacks the header's '$want'"
    done
  done <"$work/$name.txt"
  [ "$page" -eq "$pages" ] || fail "$name: read $page pages of text, pdfinfo says $pages"
  echo "browser check: $name.html ok ($pages A4 pages with the header on each, no request, hostile name shown as text)"
}

check_page report "Board pack"

# The evidence pack's index.html is the same renderer with the pack's tables.
"$bin" evidence --db "$db" --as-of "$asof" --out "$work/pack" >/dev/null
cp "$work/pack/index.html" "$work/evidence.html"
grep -q "<h2>Inventory as of $asof</h2>" "$work/evidence.html" || fail "the evidence index lacks its inventory table"
grep -qF "$escaped" "$work/evidence.html" || fail "the evidence index does not show the hostile name escaped"
check_page evidence "Evidence pack"

echo "browser check: ok (board pack and evidence pack index)"
