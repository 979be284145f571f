#!/usr/bin/env bash
# `promtool check rules` over deploy/prometheus/*.yml (Debian's prometheus package, installed when missing and apt-get
# can run). Without it the rules are still checked by the test suite (structure, metric names against a live relayer:
# test/relayer/health.test.ts); this says so and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v promtool >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    echo "check-deploy: installing Debian's prometheus package for promtool"
    (apt-get install -y --no-install-recommends prometheus >/tmp/ccr-apt-prometheus.log 2>&1 || (apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends prometheus >/tmp/ccr-apt-prometheus.log 2>&1)) || true
  fi
fi
if command -v promtool >/dev/null 2>&1; then
  promtool check rules deploy/prometheus/*.yml
else
  echo "check-deploy: promtool not available (no apt-get or not root): the alert rules are checked by the test suite only"
fi
