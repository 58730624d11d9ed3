#!/usr/bin/env bash
# ci/base-provenance.bash: check ci/base-provenance.txt, which says where
# each file of the base comes from, against ci/base-manifest.txt, which
# ./make.bash checks the assembled base against.
#
#   ci/base-provenance.bash [-download]
#
# 1. The module lines (every file of the golang.org/toolchain module zip,
#    with its sha256) recompute the module's recorded h1: hash, the hash the
#    checksum database (sum.golang.org) vouched for when the base was
#    recorded (golang.org/x/mod/sumdb/dirhash, Hash1: the sha256 of the
#    lines "<sha256>  <module>@<version>/<path>\n", sorted by path).
# 2. The manifest is exactly the module's files outside bin/ and pkg/ (with
#    _go.mod named go.mod, as cmd/distpack renames them in the module) plus
#    the donor release's files: same paths, same hashes, nothing else.
# 3. With -download, the module is downloaded again (go mod download, with
#    the checksum database) and its hash compared with the recorded one.
# Without -download it needs no network; the tooling tests run it.
set -euo pipefail
SCHEDX_PROG=ci/base-provenance.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

download=0
case ${1:-} in
-download) download=1 ;;
"") ;;
*) die "usage: ci/base-provenance.bash [-download]" ;;
esac
prov=$SCHEDX_PROVENANCE
[ -f "$prov" ] || die "no $prov: the base is one whole release, checked by ci/base-manifest.txt alone"
read -r mod sum <<<"$(prov_header "$prov" module)"
read -r donorv dirs <<<"$(prov_header "$prov" donor)"
[ -n "$mod" ] && [ -n "$sum" ] && [ -n "$donorv" ] || die "$prov lacks its module or donor line"
[ "$(prov_header "$prov" base)" = "$(base_version)" ] ||
	die "$prov describes base $(prov_header "$prov" base), but VERSION says $(base_version)"
bad=$(awk -v d="$donorv" '!/^#/ && NF && !($1 ~ /^(base|module|donor)$/) && !(length($1) == 64 && NF == 3 && ($2 == "module" || $2 == d))' "$prov" | head -n 3)
[ -z "$bad" ] || die "$prov has lines that are neither a header nor \"<sha256> module|$donorv <path>\": $bad"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. The h1: hash of the module lines.
got="h1:$(awk -v m="$mod" '$2 == "module" { printf "%s  %s/%s\n", $1, m, $3 }' "$prov" |
	LC_ALL=C sort -k2 | perl -MDigest::SHA -MMIME::Base64 -0777 -ne 'print encode_base64(Digest::SHA::sha256($_), "")')"
[ "$got" = "$sum" ] || die "the module lines of $prov hash to $got, not the recorded $sum"
note "ok: the $(grep -c ' module ' "$prov") module lines hash to $sum ($mod)"

# 2. The manifest against the provenance.
awk -v d="$donorv" 'length($1) == 64 && $2 == "module" && $3 !~ /^(bin|pkg)\// { p = $3; sub(/(^|\/)_go\.mod$/, "/go.mod", p); sub(/^\//, "", p); print $1, p; next }
	length($1) == 64 && $2 == d { print $1, $3 }' "$prov" | LC_ALL=C sort -k2 >"$tmp/prov"
awk '{ print $1, $3 }' "$SCHEDX_MANIFEST" | LC_ALL=C sort -k2 >"$tmp/manifest"
if ! diff "$tmp/prov" "$tmp/manifest" >"$tmp/diff"; then
	sed 's/^/	/' "$tmp/diff" | head -40 >&2
	die "$SCHEDX_MANIFEST disagrees with $prov (< provenance, > manifest)"
fi
for d in $dirs; do
	if grep -q " module $d/" "$prov"; then
		die "$prov takes $d/ from $donorv, but the module has files there too"
	fi
done
note "ok: the $(wc -l <"$SCHEDX_MANIFEST") files of $SCHEDX_MANIFEST are the module's (outside bin/ and pkg/) and $donorv's $(dir_list $dirs) ($(awk -v d="$donorv" 'length($1) == 64 && $2 == d' "$prov" | wc -l) files)"

# 3. The checksum database, again.
if [ $download -eq 1 ]; then
	goroot=$(path_goroot GOROOT_DONOR)
	download_module "$goroot" "$mod"
	[ "$module_sum" = "$sum" ] || die "go mod download gives $mod the hash $module_sum, not the recorded $sum"
	note "ok: go mod download (checksum database) gives $mod the recorded $sum"
fi
