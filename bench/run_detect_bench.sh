#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Times `portcullis-cli detect` without and with the store beside
# `fail2ban-regex` with Debian's stock sshd filter, on one generated
# 1,000,000-line auth log, in one run. Prints lines per second (wall clock
# and CPU time, user + system) and the ratios. See docs/benchmarks.md.
#
# Usage: bench/run_detect_bench.sh [BUILD_DIR] [LINES] [RUNS]
#   BUILD_DIR  build folder holding bin/portcullis-cli (default: build)
#   LINES      lines to generate (default: 1000000)
#   RUNS       times to run the three programs, one after the other; the
#              ratios of each run and their medians are printed (default: 1)
# Environment: PORTCULLIS_DATA_DIR (default: ../shared/data beside the checkout),
#              F2B_FILTER (default: /etc/fail2ban/filter.d/sshd.conf).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(dirname "$here")
build=${1:-build}
lines=${2:-1000000}
runs=${3:-1}
data=${PORTCULLIS_DATA_DIR:-$source_dir/../shared/data}
filter=${F2B_FILTER:-/etc/fail2ban/filter.d/sshd.conf}
cli=$build/bin/portcullis-cli

for tool in "$cli" /usr/bin/time python3 fail2ban-regex; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "run_detect_bench.sh: $tool not found; build portcullis-cli into $build or install it" >&2
        exit 2
    fi
done
if [ ! -f "$data/auth/openssh_2k.log" ]; then
    echo "run_detect_bench.sh: $data/auth/openssh_2k.log not found; set PORTCULLIS_DATA_DIR" >&2
    exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/portcullis-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
log=$work/auth_${lines}.log
python3 "$here/make_auth_log.py" --lines "$lines" "$data/auth/openssh_2k.log" "$log"

# run NAME COMMAND...: runs the command once, appends "wall user system" to $work/NAME.time.
# detect exits 3 when some lines were not parsed; that still counts as a run.
run() {
    name=$1
    shift
    /usr/bin/time -a -f '%e %U %S' -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" || {
        status=$?
        if [ "$status" -ne 3 ]; then
            echo "run_detect_bench.sh: $name failed with exit code $status:" >&2
            tail -5 "$work/$name.err" >&2
            exit 1
        fi
    }
}

i=0
while [ "$i" -lt "$runs" ]; do
    i=$((i + 1))
    run detect-no-store "$cli" detect --no-store "$log"
    run detect-store "$cli" detect "$log"
    run fail2ban-regex fail2ban-regex "$log" "$filter"
    echo "run $i of $runs done, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
done

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load average before the summary: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "input: $lines lines, $(du -h "$log" | cut -f1)"
echo "detect summary (no store): $(tail -1 "$work/detect-no-store.err")"
echo "fail2ban-regex: $(grep -E '^Lines:' "$work/fail2ban-regex.out" || true)"
echo

awk -v lines="$lines" '
    FNR == 1 { split(FILENAME, parts, "/"); name = parts[length(parts)]; sub(/\.time$/, "", name) }
    { n = ++count[name]; wall[name, n] = $1; cpu[name, n] = $2 + $3 }
    function median(values, size,    i, j, t, sorted) {
        for (i = 1; i <= size; ++i) sorted[i] = values[i]
        for (i = 2; i <= size; ++i)
            for (j = i; j > 1 && sorted[j - 1] > sorted[j]; --j) { t = sorted[j]; sorted[j] = sorted[j - 1]; sorted[j - 1] = t }
        return size % 2 ? sorted[(size + 1) / 2] : (sorted[size / 2] + sorted[size / 2 + 1]) / 2
    }
    END {
        f = "fail2ban-regex"; a = "detect-no-store"; b = "detect-store"
        printf "%-4s %-16s %9s %9s %14s %14s\n", "run", "program", "wall s", "cpu s", "lines/s wall", "lines/s cpu"
        for (r = 1; r <= count[f]; ++r) {
            split(a " " b " " f, names, " ")
            for (k = 1; k <= 3; ++k) {
                n = names[k]
                printf "%-4d %-16s %9.2f %9.2f %14.0f %14.0f\n", r, n, wall[n, r], cpu[n, r], lines / wall[n, r], lines / cpu[n, r]
            }
            wa[r] = wall[f, r] / wall[a, r]; ca[r] = cpu[f, r] / cpu[a, r]
            wb[r] = wall[f, r] / wall[b, r]; cb[r] = cpu[f, r] / cpu[b, r]
        }
        printf "\nratio to fail2ban-regex (wall / cpu), per run:\n"
        for (r = 1; r <= count[f]; ++r)
            printf "  run %d: detect --no-store %6.1fx / %6.1fx, detect (store) %6.1fx / %6.1fx\n", r, wa[r], ca[r], wb[r], cb[r]
        printf "median of %d run(s):\n", count[f]
        printf "  detect --no-store  %6.1fx / %6.1fx   (target 50x)\n", median(wa, count[f]), median(ca, count[f])
        printf "  detect (store)     %6.1fx / %6.1fx   (target 10x)\n", median(wb, count[f]), median(cb, count[f])
    }
' "$work/detect-no-store.time" "$work/detect-store.time" "$work/fail2ban-regex.time"
