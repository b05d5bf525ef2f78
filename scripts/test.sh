#!/bin/sh
# Installs what is missing, builds, and runs every test. GUI tests use Qt's
# offscreen platform, so no display is needed.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
cd build
QT_QPA_PLATFORM=offscreen ctest --output-on-failure --parallel "$(nproc)" --timeout 600
