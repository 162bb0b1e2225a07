#!/usr/bin/env bash
# Copies the production feed and environment files from exchanges/ into deploy/base/exchanges/.
# Kustomize only reads generator files at or below the kustomization directory (its load
# restrictor), so `kubectl apply -k` cannot read ../../exchanges directly; ExchangesCopyTest fails
# when the copies drift from exchanges/ and names this script.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cp "$ROOT"/exchanges/feeds/*.yaml "$ROOT/deploy/base/exchanges/feeds/"
cp "$ROOT"/exchanges/environments/*-prod.yaml "$ROOT/deploy/base/exchanges/environments/"
echo "deploy/base/exchanges updated from exchanges/"
