#!/bin/sh
# Installs Debian's chromium for the HTML report test, where this machine allows it (root and
# apt-get). Elsewhere it does nothing and that test is skipped with a clear reason.
command -v chromium >/dev/null 2>&1 && exit 0
[ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 || { echo "chromium: not installed (needs root and apt-get); the HTML browser test will be skipped"; exit 0; }
echo "installing chromium for the HTML report test (apt-get)..."
(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
  || echo "chromium: could not be installed; the HTML browser test will be skipped"
