#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Times `portcullis-cli detect` without and with the store beside
# `fail2ban-regex` with Debian's stock sshd filter, on one generated
# 1,000,000-line auth log, in one run. Prints lines per second (wall clock
# and CPU time, user + system) and the ratios. See docs/benchmarks.md.
#
# Usage: bench/run_detect_bench.sh [BUILD_DIR] [LINES]
#   BUILD_DIR  build folder holding bin/portcullis-cli (default: build)
#   LINES      lines to generate (default: 1000000)
# Environment: PORTCULLIS_DATA_DIR (default: ../shared/data beside the checkout),
#              F2B_FILTER (default: /etc/fail2ban/filter.d/sshd.conf).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(dirname "$here")
build=${1:-build}
lines=${2:-1000000}
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

# run NAME COMMAND...: runs the command once, keeps "wall user system" in $work/NAME.time.
# detect exits 3 when some lines were not parsed; that still counts as a run.
run() {
    name=$1
    shift
    /usr/bin/time -f '%e %U %S' -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" || {
        status=$?
        if [ "$status" -ne 3 ]; then
            echo "run_detect_bench.sh: $name failed with exit code $status:" >&2
            tail -5 "$work/$name.err" >&2
            exit 1
        fi
    }
}

run detect-no-store "$cli" detect --no-store "$log"
run detect-store "$cli" detect "$log"
run fail2ban-regex fail2ban-regex "$log" "$filter"

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load average before the summary: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "input: $lines lines, $(du -h "$log" | cut -f1)"
echo "detect summary (no store): $(tail -1 "$work/detect-no-store.err")"
echo "fail2ban-regex: $(grep -E '^Lines:' "$work/fail2ban-regex.out" || true)"
echo

awk -v lines="$lines" '
    FNR == 1 {
        split(FILENAME, parts, "/"); name = parts[length(parts)]; sub(/\.time$/, "", name)
        wall[name] = $1; cpu[name] = $2 + $3
        order[++count] = name
    }
    END {
        printf "%-16s %9s %9s %14s %14s\n", "run", "wall s", "cpu s", "lines/s wall", "lines/s cpu"
        for (i = 1; i <= count; ++i) {
            n = order[i]
            printf "%-16s %9.2f %9.2f %14.0f %14.0f\n", n, wall[n], cpu[n], lines / wall[n], lines / cpu[n]
        }
        f = "fail2ban-regex"
        printf "\nratio to fail2ban-regex (wall / cpu):\n"
        printf "  detect --no-store  %6.1fx / %6.1fx   (target 50x)\n", wall[f] / wall["detect-no-store"], cpu[f] / cpu["detect-no-store"]
        printf "  detect (store)     %6.1fx / %6.1fx   (target 10x)\n", wall[f] / wall["detect-store"], cpu[f] / cpu["detect-store"]
    }
' "$work/detect-no-store.time" "$work/detect-store.time" "$work/fail2ban-regex.time"
