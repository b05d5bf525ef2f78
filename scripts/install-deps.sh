#!/bin/sh
# Installs the Debian 12 packages that building and testing Portcullis need,
# skipping those already present. Run as root (or through sudo).
set -eu

packages="cmake ninja-build g++ pkg-config
qt6-base-dev libqt6opengl6-dev qt6-charts-dev libqt6sql6-sqlite qt6-tools-dev qt6-tools-dev-tools
qt6-l10n-tools qt6-httpserver-dev qt6-websockets-dev qtkeychain-qt6-dev qt6-translations-l10n
libssl-dev libsqlite3-dev libyaml-cpp-dev libzip-dev libqrencode-dev libhyperscan-dev libmaxminddb-dev libxgboost-dev
xvfb xauth"

missing=""
for package in $packages; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $package"
    fi
done

if [ -n "$missing" ]; then
    echo "Installing missing Debian packages:$missing"
    if [ "$(id -u)" -ne 0 ]; then
        echo "error: packages are missing and this is not root; rerun as root or install:$missing" >&2
        exit 1
    fi
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi
