#!/bin/sh
# Installs what is missing, builds, and opens the console on its demo: a
# throw-away database with a demo administrator signed in. With no display
# (no DISPLAY or WAYLAND_DISPLAY), it runs the same demo headless instead and
# prints the alerts as JSON lines.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# Only the three programs: the tests and benchmarks take several times longer.
PORTCULLIS_BUILD_TARGETS="portcullis portcullis-cli portcullis-sim" scripts/build.sh
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    echo "No display found: running the headless demo (portcullis-cli watch --demo) instead." >&2
    echo "Stop it with Ctrl+C. For the window, run this again from a desktop session." >&2
    exec build/bin/portcullis-cli watch --demo --json "$@"
fi
exec build/bin/portcullis --demo "$@"
