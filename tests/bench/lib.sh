# shellcheck shell=bash
# Helpers shared by the shell benchmarks in tests/bench/. A benchmark does:
#   . "$(dirname "$0")/lib.sh"      # cd to the source tree, set KEN, TMP (removed at exit)
#   bench_need wrk nginx; bench_build
#   bench_serve "$TMP/ken.db" --threads 40     # sets SERVER (pid) and URL
# and prints its figures last. Environment:
#   KEN_BUILD       build directory (default build), configured as a release build without
#                   sanitizers (KEN_BUILD_TYPE, default Release)
#   KEN_NO_BUILD=1  use the ken already built there (while the tree does not build)
#   BENCH_ROWS      when set, a file each benchmark appends its Markdown table rows to
#                   (tests/bench/all collects them into build/bench.md)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
KEN_BUILD=${KEN_BUILD:-build}
KEN_BUILD_TYPE=${KEN_BUILD_TYPE:-Release}
KEN=$PWD/$KEN_BUILD/ken
CORPUS=${CORPUS:-../shared/corpus/tldr/pages}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ken-bench.XXXXXX")
chmod 755 "$TMP" # nginx workers run as an unprivileged user and read files below it
SERVER='' URL='' BENCH_PIDS=()

bench_cleanup() {
    local p
    for p in ${SERVER:+"$SERVER"} ${BENCH_PIDS[@]+"${BENCH_PIDS[@]}"}; do
        kill "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    [ -f "$TMP/nginx.pid" ] && kill "$(cat "$TMP/nginx.pid")" 2>/dev/null && sleep 0.3
    rm -rf "$TMP"
}
trap bench_cleanup EXIT

# bench_need TOOL...: installs the Debian packages of missing tools (deploy/packages.sh), or fails.
bench_need() {
    local t pkgs=()
    for t in "$@"; do
        [ -x "$t" ] || command -v "$t" >/dev/null && continue
        case $t in nginx) pkgs+=(nginx-light) ;; /usr/bin/time) pkgs+=(time) ;; cc) pkgs+=(gcc) ;; *) pkgs+=("$t") ;; esac
    done
    [ ${#pkgs[@]} -eq 0 ] && return 0
    . deploy/packages.sh
    ken_install_missing "${pkgs[@]}" || { echo "missing: ${pkgs[*]} (apt-get install ${pkgs[*]})" >&2; exit 1; }
}

# bench_build: builds ken in $KEN_BUILD (quietly; the compiler's errors if it fails).
bench_build() {
    if [ -n "${KEN_NO_BUILD:-}" ] && [ -x "$KEN" ]; then return 0; fi
    cmake -S . -B "$KEN_BUILD" -DCMAKE_BUILD_TYPE="$KEN_BUILD_TYPE" -DKEN_SANITIZE=OFF >/dev/null
    cmake --build "$KEN_BUILD" --target ken -j"$(nproc)" >"$TMP/build.log" 2>&1 ||
        { tail -n 30 "$TMP/build.log" >&2; exit 1; }
    [ -x "$KEN" ] || { echo "no ken binary at $KEN" >&2; exit 1; }
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wait_healthz URL: waits up to 60 s for GET URL/healthz to answer 200.
wait_healthz() {
    for _ in $(seq 600); do curl -sf -o /dev/null "$1/healthz" && return 0; sleep 0.1; done
    echo "ken did not answer /healthz at $1" >&2
    exit 1
}

# bench_serve DB [ARGS...]: starts `ken serve` (access log off) on a free port; sets SERVER, URL.
bench_serve() {
    local db=$1 port
    shift
    port=$(free_port)
    URL=http://127.0.0.1:$port
    "$KEN" serve --db "$db" --listen "127.0.0.1:$port" --access-log off "$@" 2>>"$TMP/serve.log" &
    SERVER=$!
    wait_healthz "$URL"
}

# bench_stop: stops the server started by bench_serve (SIGTERM, then waits).
bench_stop() {
    [ -n "$SERVER" ] || return 0
    kill "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
    SERVER=''
}

# wrk_figures: reads wrk --latency output, prints "requests/s p50_ms p99_ms".
wrk_figures() {
    awk 'function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /m$/) return v * 60000; if (v ~ /s$/) return v * 1000; return v }
         /Requests\/sec/ { rps = $2 } $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
         END { printf "%.0f %.2f %.2f\n", rps, p50, p99 }'
}

# big_db PAGES: prints the path of a database of PAGES pages (the tldr corpus copied once per
# team, each copy its own space, loaded with `ken import markdown`, as tests/bench/search builds
# it), with an admin "bench". Built once and kept in $KEN_BUILD/bench-PAGES.db (delete it to
# build it again, e.g. after the renderer changed; migrations apply themselves on opening).
big_db() {
    local n=$1 db=$PWD/$KEN_BUILD/bench-$1.db dir
    if [ ! -f "$db" ]; then
        echo "building a $n-page database in $db (once) ..." >&2
        rm -f "$db.tmp"
        python3 tests/bench/make_corpus.py "$CORPUS" "$TMP/corpus-$n" "$n"
        "$KEN" init --db "$db.tmp" >/dev/null
        "$KEN" user add bench --name Bench --role admin --db "$db.tmp" >/dev/null
        for dir in "$TMP/corpus-$n"/*/; do
            "$KEN" import markdown "$dir" --space "$(basename "$dir")" --db "$db.tmp" >"$TMP/import.log" 2>&1 ||
                { cat "$TMP/import.log" >&2; exit 1; }
        done
        rm -rf "$TMP/corpus-$n" "$db.tmp-wal" "$db.tmp-shm"
        mv "$db.tmp" "$db"
    fi
    echo "$db"
}

# rss_kb PID: the resident set size of PID now, in kB (VmRSS); peak_kb PID: its peak (VmHWM).
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
peak_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# mem_kb PID...: "RSS ANON PSS" in kB, added up over the PIDs. RSS (VmRSS) counts a page of the
# database once per mapping that touched it, and ken maps the file once per connection (SQLite
# mmap), so it grows with connections x pages read; ANON (RssAnon) is the private heap;
# PSS (smaps_rollup) counts every page once: the physical memory the process really holds.
mem_kb() {
    local p rss=0 anon=0 pss=0 r a s
    for p in "$@"; do
        read -r r a < <(awk '/^VmRSS:/ { r = $2 } /^RssAnon:/ { a = $2 } END { print r + 0, a + 0 }' "/proc/$p/status" 2>/dev/null || echo 0 0)
        s=$(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)
        rss=$((rss + r)) anon=$((anon + a)) pss=$((pss + ${s:-0}))
    done
    echo "$rss $anon $pss"
}

# mem_watch FILE SECONDS PID...: every SECONDS appends "ELAPSED RSS ANON PSS" (kB) to FILE while
# the first PID lives (run it in the background and add its pid to BENCH_PIDS).
mem_watch() {
    local file=$1 every=$2 start=$SECONDS
    shift 2
    while [ -d "/proc/$1" ]; do
        echo "$((SECONDS - start)) $(mem_kb "$@")" >>"$file"
        sleep "$every"
    done
}

# mem_peaks FILE: "RSS ANON PSS", the largest of each column written by mem_watch (kB).
mem_peaks() { awk '{ for (i = 2; i <= 4; i++) if ($i > m[i]) m[i] = $i } END { print m[2] + 0, m[3] + 0, m[4] + 0 }' "$1"; }

# bench_row BENCHMARK FIGURE REFERENCE RATIO: appends a row to $BENCH_ROWS (when set).
bench_row() {
    [ -n "${BENCH_ROWS:-}" ] || return 0
    printf '| %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" >>"$BENCH_ROWS"
}

# mb KB: kilobytes as megabytes with one decimal.
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
