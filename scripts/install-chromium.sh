#!/bin/sh
# Installs Debian's Chromium and the fonts that render Chinese in screenshots.
set -eu
packages="chromium fonts-noto-cjk fonts-noto-color-emoji"
if [ "$(id -u)" = 0 ]; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends $packages
elif command -v sudo >/dev/null; then
  sudo apt-get update -qq && sudo apt-get install -y -qq --no-install-recommends $packages
else
  echo "Chromium is missing: install it with 'apt-get install -y $packages' as root." >&2
  exit 1
fi
