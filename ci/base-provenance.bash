#!/usr/bin/env bash
# ci/base-provenance.bash: cross-check ci/base-manifest.txt against the
# golang.org/toolchain module of the same release, which the go command
# downloads from the module proxy and verifies against the checksum database.
#
#   ci/base-provenance.bash
#
# The module holds src/ and lib/ (with go.mod files renamed _go.mod) but not
# test/, api/, misc/ or doc/, so this vouches for src/ and lib/ only; the rest
# of the manifest comes from the release archive the base was installed from.
set -euo pipefail
SCHEDX_PROG=ci/base-provenance.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

v=$(base_version)
goos=$(go env GOHOSTOS) goarch=$(go env GOHOSTARCH)
mod=golang.org/toolchain@v0.0.1-$v.$goos-$goarch
dir=$(cd "$(mktemp -d)" && GOFLAGS=-mod=mod GOTOOLCHAIN=local go mod download -json "$mod" |
	sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$dir" ] || die "could not download $mod"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
manifest "$dir" | awk '$3 ~ /^(src|lib)\// { sub(/_go\.mod$/, "go.mod", $3); print $1, $3 }' | LC_ALL=C sort -k2 >"$tmp/module"
awk '$3 ~ /^(src|lib)\// { print $1, $3 }' "$SCHEDX_MANIFEST" | LC_ALL=C sort -k2 >"$tmp/manifest"
if ! diff "$tmp/manifest" "$tmp/module" >"$tmp/diff"; then
	sed 's/^/	/' "$tmp/diff" | head -40 >&2
	die "ci/base-manifest.txt disagrees with $mod in src/ or lib/ (< manifest, > module)"
fi
note "ok: $(wc -l <"$tmp/manifest") files of src/ and lib/ in ci/base-manifest.txt match $mod (checksum-database verified)"
