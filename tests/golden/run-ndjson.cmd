run -q -f ndjson --runbooks "$FIXTURES/runbooks/good" --since 2026-11-20 --until 2026-11-21 --now 2026-11-21 test/new-users "$FIXTURES/runbooks/.events/day1.ndjson"
