#!/bin/sh
# Installs what is missing, builds, and opens the console on its demo: a
# throw-away database with a demo administrator signed in.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
exec build/bin/portcullis --demo "$@"
