#!/usr/bin/env bash
# A property-test campaign: thousands of generated progress entries and random edits of the data.
# Usage: bench/fuzz.sh [EXAMPLES_PER_PROPERTY]   (default 3000; three properties)
set -euo pipefail
cd "$(dirname "$0")/.."
examples="${1:-3000}"
python=".venv/bin/python"
[ -x "$python" ] || python=python3
start=$(date +%s)
HYPOTHESIS_PROFILE=campaign HYPOTHESIS_EXAMPLES="$examples" \
  "$python" -m pytest -p no:cacheprovider tests/test_properties.py --hypothesis-show-statistics \
  | grep -E "^tests/.*:$|passing, |Stopped because|[0-9]+ passed|[0-9]+ failed" || true
echo "campaign: 3 properties, up to ${examples} examples each, in $(( $(date +%s) - start )) s"
