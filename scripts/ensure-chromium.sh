#!/usr/bin/env bash
# The browser test (test/relayer/ui.test.ts) drives Debian's chromium with playwright-core (never a downloaded browser).
# Installs the Debian package when /usr/bin/chromium is missing and apt-get can run; otherwise says why, and the test
# then fails naming the missing browser (it is never skipped).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "ensure-chromium: installing Debian's chromium for the status page test"
  apt-get install -y --no-install-recommends chromium >/tmp/ccr-apt-chromium.log 2>&1 || (apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends chromium >/tmp/ccr-apt-chromium.log 2>&1) || echo "ensure-chromium: apt-get install chromium failed (see /tmp/ccr-apt-chromium.log)"
else
  echo "ensure-chromium: /usr/bin/chromium is missing and apt-get cannot run here: install Debian's chromium package"
fi
