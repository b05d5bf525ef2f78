#!/bin/sh
# Configures and builds Portcullis into build/ (executables in build/bin/).
# Arguments go to the CMake configure step. PORTCULLIS_BUILD_TARGETS, when
# set, names the only targets to build (space-separated); the default builds
# everything, tests and benchmarks included.
set -eu
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
if [ -n "${PORTCULLIS_BUILD_TARGETS:-}" ]; then
    # shellcheck disable=SC2086 # the list is split into targets on purpose
    cmake --build build --parallel "$(nproc)" --target $PORTCULLIS_BUILD_TARGETS
else
    cmake --build build --parallel "$(nproc)"
fi
