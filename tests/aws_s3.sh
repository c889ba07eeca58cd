#!/usr/bin/env bash
# placeholder until its helper lands it (issue 6).
echo "1..0 # SKIP not written yet"
