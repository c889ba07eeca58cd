run -q --since 2026-11-20 --until 2026-11-21 --now 2026-11-21 "$FIXTURES/runbooks/good/iam/new-users.md" "$FIXTURES/runbooks/.events/day1.ndjson" "$FIXTURES/runbooks/.events/hostile.ndjson"
