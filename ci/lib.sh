# Shared shell functions for make.bash, all.bash and the ci/ tools.
# Source it; it defines functions and a few variables and runs nothing else.
#
# Variables (all may be preset by the caller, which is how the tooling tests
# point the scripts at a small fake base):
#   SCHEDX_ROOT      the project's top directory (default: this file's parent's parent)
#   GOROOT_BASE      the pristine upstream GOROOT (default: GOROOT of the go on PATH)
#   SCHEDX_GO        the materialized tree (default: $SCHEDX_ROOT/go)
#   SCHEDX_MANIFEST  the base's checked-in manifest (default: ci/base-manifest.txt)

: "${SCHEDX_ROOT:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${SCHEDX_GO:=$SCHEDX_ROOT/go}"
: "${SCHEDX_MANIFEST:=$SCHEDX_ROOT/ci/base-manifest.txt}"
SCHEDX_PATCHES=$SCHEDX_ROOT/patches

# Fixed identity and dates for the commits the tools make in go/, so that the
# same base and patches give the same commit IDs on every machine.
SCHEDX_GIT=(git -c user.name="schedx base" -c user.email="schedx@invalid"
	-c core.autocrlf=false -c core.safecrlf=false -c core.quotepath=off
	-c advice.detachedHead=false -c init.defaultBranch=main)

die() {
	echo "${SCHEDX_PROG:-schedx}: $*" >&2
	exit 1
}

note() {
	echo "${SCHEDX_PROG:-schedx}: $*" >&2
}

# fork_version prints the first line of VERSION after checking its shape:
# goX.Y[.Z]-schedx.N (a custom toolchain name the go command accepts, see
# cmd/go/internal/gover).
fork_version() {
	local v
	[ -f "$SCHEDX_ROOT/VERSION" ] || die "missing $SCHEDX_ROOT/VERSION"
	v=$(head -n 1 "$SCHEDX_ROOT/VERSION")
	[[ $v =~ ^go[0-9]+\.[0-9]+(\.[0-9]+)?-schedx\.[0-9]+$ ]] ||
		die "VERSION: first line is \"$v\"; want goX.Y.Z-schedx.N (e.g. go1.26.8-schedx.1)"
	echo "$v"
}

# base_version prints the upstream release the fork is based on: VERSION
# without its -schedx.N suffix.
base_version() {
	local v
	v=$(fork_version) || exit 1
	echo "${v%%-*}"
}

# find_base prints the base GOROOT: $GOROOT_BASE, else the GOROOT of the go
# command on PATH.
find_base() {
	local b
	if [ -n "${GOROOT_BASE:-}" ]; then
		b=$GOROOT_BASE
	else
		command -v go >/dev/null 2>&1 ||
			die "no go command on PATH and GOROOT_BASE is not set; set GOROOT_BASE to a pristine $(base_version) GOROOT (e.g. /usr/local/go)"
		b=$(env -u GOROOT GOTOOLCHAIN=local go env GOROOT) || die "\`go env GOROOT\` failed; set GOROOT_BASE"
	fi
	[ -d "$b" ] || die "base GOROOT $b is not a directory"
	(cd "$b" && pwd -P)
}

# manifest DIR prints one line per file of the Go tree in DIR, sorted by path
# (bytewise): "<sha256> <mode> <path>", mode 644 or 755 as git records it, or
# 120000 for a symbolic link, hashed by its target. bin/ and pkg/ (build
# outputs) and .git are left out.
manifest() {
	(
		cd "$1" || exit 1
		find . \( -path ./bin -o -path ./pkg -o -path ./.git \) -prune -o \
			\( -type f -o -type l \) -printf '%P\0' | LC_ALL=C sort -z |
			perl -0 -MDigest::SHA -ne '
				chomp;
				if (-l $_) {
					printf "%s 120000 %s\n", Digest::SHA::sha256_hex(readlink $_), $_;
					next;
				}
				my $d = Digest::SHA->new(256);
				$d->addfile($_, "b") or die "manifest: cannot read $_: $!\n";
				printf "%s %s %s\n", $d->hexdigest, ((stat _)[2] & 0100) ? "755" : "644", $_;
			'
	)
}

# verify_base DIR checks that DIR is a pristine copy of the base release:
# its VERSION names $(base_version) and its files match the checked-in
# manifest. On a mismatch it names what was found, what is needed, and the
# files that differ.
verify_base() {
	local dir=$1 want got tmp
	want=$(base_version) || exit 1
	[ -f "$dir/VERSION" ] ||
		die "base GOROOT $dir has no VERSION file; need a pristine $want GOROOT (set GOROOT_BASE)"
	got=$(head -n 1 "$dir/VERSION")
	[ "$got" = "$want" ] ||
		die "base GOROOT $dir is $got; need a pristine $want (set GOROOT_BASE to one, e.g. GOTOOLCHAIN=$want's GOROOT)"
	[ -f "$SCHEDX_MANIFEST" ] || die "missing manifest $SCHEDX_MANIFEST"
	tmp=$(mktemp -d)
	manifest "$dir" >"$tmp/got" || { rm -rf "$tmp"; die "cannot read base GOROOT $dir"; }
	if ! cmp -s "$tmp/got" "$SCHEDX_MANIFEST"; then
		{
			echo "${SCHEDX_PROG:-schedx}: base GOROOT $dir says $got but is not pristine $want:"
			LC_ALL=C join -j 3 -a 1 -a 2 -o 0,1.1,1.2,2.1,2.2 -e - \
				<(LC_ALL=C sort -k3 "$SCHEDX_MANIFEST") <(LC_ALL=C sort -k3 "$tmp/got") |
				awk '$2 == "-" { print "\textra file:    " $1; next }
				     $4 == "-" { print "\tmissing file:  " $1; next }
				     $2 != $4  { print "\tmodified file: " $1; next }
				     $3 != $5  { print "\tmode changed:  " $1 " (" $3 " -> " $5 ")" }' |
				head -n 20
			echo "(compared with $SCHEDX_MANIFEST; use an unmodified $want GOROOT as GOROOT_BASE)"
		} >&2
		rm -rf "$tmp"
		exit 1
	fi
	rm -rf "$tmp"
}

# manifest_id prints a short name of the checked-in manifest, recorded in go/
# so that a change of base is noticed.
manifest_id() {
	sha256sum <"$SCHEDX_MANIFEST" | cut -c1-16
}

# download_toolchain BASE goX.Y.Z downloads the golang.org/toolchain module
# of release goX.Y.Z for the host into rebase-work/modcache with BASE's go
# command, which verifies it against the checksum database (sum.golang.org).
# It sets toolchain_mod (module@version), toolchain_dir (its directory:
# src/ and lib/, no test/, api/ or misc/) and toolchain_sum (its h1: hash).
download_toolchain() {
	local base=$1 target=$2 gob scratch json
	gob=(env -u GOROOT -u GOFLAGS -u GONOSUMDB -u GONOSUMCHECK -u GOPRIVATE -u GOSUMDB GOTOOLCHAIN=local "$base/bin/go")
	toolchain_mod=golang.org/toolchain@v0.0.1-$target.$("${gob[@]}" env GOHOSTOS)-$("${gob[@]}" env GOHOSTARCH)
	mkdir -p "$SCHEDX_ROOT/rebase-work"
	scratch=$(mktemp -d)
	printf 'module schedx.example/download\n' >"$scratch/go.mod"
	json=$(cd "$scratch" && GOMODCACHE="$SCHEDX_ROOT/rebase-work/modcache" GOFLAGS=-modcacherw "${gob[@]}" mod download -json "$toolchain_mod") || {
		rm -rf "$scratch"
		die "cannot download $toolchain_mod: is $target a release, and is the module proxy reachable?"
	}
	rm -rf "$scratch"
	toolchain_dir=$(echo "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	toolchain_sum=$(echo "$json" | sed -n 's/^[[:space:]]*"Sum": "\(.*\)",$/\1/p')
	[ -d "$toolchain_dir" ] && [ -n "$toolchain_sum" ] || die "go mod download gave no directory or sum for $toolchain_mod:
$json"
	[ "$(head -n 1 "$toolchain_dir/VERSION")" = "$target" ] || die "$toolchain_mod holds VERSION $(head -n 1 "$toolchain_dir/VERSION")"
}

# stress_total LOG prints "RUNS FAILURES" from the last "N runs total, M
# failures" line x/tools' cmd/stress wrote to LOG, or nothing if it wrote
# none (it did not start, or was killed before its first report).
stress_total() {
	grep -E '^[0-9hms.]+: [0-9]+ runs total' "$1" | tail -1 | awk '{print $2, $5}'
}
