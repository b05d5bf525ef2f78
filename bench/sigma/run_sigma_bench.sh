#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Times Sigma matching with 10, 100 and 1,000 generated rules
# (build/bench/sigma_bench) on two generated logs: web rules on an access
# log, linux/sshd rules on an auth log. Access log lines are screened by the
# rules' literals before parsing, as in `portcullis-cli rules test`, and
# once more without the screen. In the same run it times
# fail2ban-regex with stock filters and SEC with a threshold rule on each log,
# and SEC with the generated web rules. Every command is pinned to CPU 0. See
# docs/benchmarks.md.
#
# Usage: bench/sigma/run_sigma_bench.sh [BUILD_DIR] [LINES]
#   BUILD_DIR  build folder holding bench/sigma_bench (default: build)
#   LINES      lines to generate (default: 1000000)
# Environment: PORTCULLIS_DATA_DIR (default: ../shared/data beside the checkout),
#              SEC_RULES (generated web rules given to SEC, default: 100; 0 skips
#              that run).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(dirname "$(dirname "$here")")
build=${1:-build}
lines=${2:-1000000}
data=${PORTCULLIS_DATA_DIR:-$source_dir/../shared/data}
sec_rules=${SEC_RULES:-100}
bench=$build/bench/sigma_bench

for tool in "$bench" /usr/bin/time python3 taskset fail2ban-regex sec; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "run_sigma_bench.sh: $tool not found; build sigma_bench into $build or install it" >&2
        exit 2
    fi
done
for file in web/apache_combined_10k.log web/login_attack_access.log auth/openssh_2k.log; do
    if [ ! -f "$data/$file" ]; then
        echo "run_sigma_bench.sh: $data/$file not found; set PORTCULLIS_DATA_DIR" >&2
        exit 2
    fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/portcullis-sigma-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
log=$work/access_${lines}.log
python3 "$here/make_access_log.py" --lines "$lines" "$log" \
    "$data/web/apache_combined_10k.log" "$data/web/login_attack_access.log"
auth=$work/auth_${lines}.log
python3 "$source_dir/bench/make_auth_log.py" --lines "$lines" "$data/auth/openssh_2k.log" \
    "$auth" >/dev/null

# A threshold rule like a web scan detector: 20 responses with status 404
# from one client within 60 seconds. SEC reads the file once, offline.
cat >"$work/threshold.sec" <<'RULES'
type=SingleWithThreshold
ptype=RegExp
pattern=^(\S+) \S+ \S+ \[[^\]]+\] "[^"]*" 404 
desc=404 burst from $1
action=none
window=60
thresh=20
RULES
# The fail2ban sshd jail's defaults as a SEC rule: 5 failed passwords from
# one address within 10 minutes. A "message repeated N times" line counts
# once here.
cat >"$work/sshd-threshold.sec" <<'RULES'
type=SingleWithThreshold
ptype=RegExp
pattern=sshd\[\d+\]: (?:message repeated \d+ times: \[ )?Failed password for (?:invalid user )?.* from (\S+) port \d+
desc=failed passwords from $1
action=none
window=600
thresh=5
RULES
"$bench" --write-sec "$sec_rules" "$work/generated.sec"

# run NAME COMMAND...: runs the command on CPU 0, keeps "wall user system" in $work/NAME.time.
run() {
    name=$1
    shift
    if ! taskset -c 0 /usr/bin/time -f '%e %U %S' -o "$work/$name.time" "$@" \
            >"$work/$name.out" 2>"$work/$name.err"; then
        echo "run_sigma_bench.sh: $name failed:" >&2
        tail -5 "$work/$name.err" >&2
        exit 1
    fi
}

run sigma "$bench" --rules 10,100,1000 "$log"
for count in 10 100 1000; do
    run "sigma-$count" "$bench" --rules "$count" "$log"
done
# Every line parsed, as detect and import parse them.
run sigma-noscreen-10 "$bench" --no-screen --rules 10 "$log"
run f2b-botsearch fail2ban-regex "$log" /etc/fail2ban/filter.d/nginx-botsearch.conf
run f2b-badbots fail2ban-regex "$log" /etc/fail2ban/filter.d/apache-badbots.conf
run sec-threshold sec --conf="$work/threshold.sec" --input="$log" --notail --log=/dev/null \
    --nointevents --debug=1
if [ "$sec_rules" -gt 0 ]; then
    run sec-generated sec --conf="$work/generated.sec" --input="$log" --notail \
        --log=/dev/null --nointevents --debug=1
fi
run auth-sigma "$bench" --format syslog --rules 10,100,1000 "$auth"
for count in 10 100 1000; do
    run "auth-sigma-$count" "$bench" --format syslog --rules "$count" "$auth"
done
run auth-f2b-sshd fail2ban-regex "$auth" /etc/fail2ban/filter.d/sshd.conf
run auth-sec-threshold sec --conf="$work/sshd-threshold.sec" --input="$auth" --notail \
    --log=/dev/null --nointevents --debug=1

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load average before the summary: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "input: $lines lines, access log $(du -h "$log" | cut -f1), auth log $(du -h "$auth" | cut -f1)"
echo
echo "sigma_bench, one process, three rule sets over the same events (thread CPU time):"
echo "access log, web rules:"
cat "$work/sigma.out"
echo "auth log, linux/sshd rules:"
cat "$work/auth-sigma.out"
echo
printf '%-20s %8s %8s %8s %12s\n' tool wall_s user_s sys_s lines/s_cpu
for name in sigma-10 sigma-100 sigma-1000 sigma-noscreen-10 f2b-botsearch f2b-badbots sec-threshold \
        sec-generated auth-sigma-10 auth-sigma-100 auth-sigma-1000 auth-f2b-sshd \
        auth-sec-threshold; do
    [ -f "$work/$name.time" ] || continue
    read -r wall user sys <"$work/$name.time"
    printf '%-20s %8s %8s %8s %12.0f\n' "$name" "$wall" "$user" "$sys" \
        "$(echo "$lines / ($user + $sys)" | bc -l)"
done
echo
echo "fail2ban-regex nginx-botsearch: $(grep -m1 '^Lines:' "$work/f2b-botsearch.out")"
echo "fail2ban-regex apache-badbots:  $(grep -m1 '^Lines:' "$work/f2b-badbots.out")"
echo "fail2ban-regex sshd (auth log):  $(grep -m1 '^Lines:' "$work/auth-f2b-sshd.out")"
echo "sec with $sec_rules generated rules; sigma-N rows are whole processes (read, screen,"
echo "parse, compile N rules, match); sigma-noscreen-10 parses every line."
