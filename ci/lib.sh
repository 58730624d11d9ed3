# Shared shell functions for make.bash, all.bash and the ci/ tools.
# Source it; it defines functions and a few variables and runs nothing else.
#
# Variables (all may be preset by the caller, which is how the tooling tests
# point the scripts at a small fake base):
#   SCHEDX_ROOT      the project's top directory (default: this file's parent's parent)
#   GOROOT_BASE      the pristine base GOROOT; default: the one assembled in
#                    base/ from ci/base-provenance.txt (see find_base), or,
#                    with no provenance file, the GOROOT of the go on PATH
#   GOROOT_DONOR     the stock Go release that gives the base the directories
#                    the golang.org/toolchain module lacks (api/, doc/, misc/,
#                    test/), and whose go command downloads the module
#                    (default: the GOROOT of the go on PATH)
#   SCHEDX_GO        the materialized tree (default: $SCHEDX_ROOT/go)
#   SCHEDX_MANIFEST  the base's checked-in manifest (default: ci/base-manifest.txt)
#   SCHEDX_PROVENANCE where each file of the base comes from (default: ci/base-provenance.txt)
#   SCHEDX_BASES     assembled bases and their module cache (default: base/, git-ignored)
#   SCHEDX_PATCHES   the series (default: patches/; ci/patches move applies a
#                    rebased series from elsewhere through it)

: "${SCHEDX_ROOT:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${SCHEDX_GO:=$SCHEDX_ROOT/go}"
: "${SCHEDX_MANIFEST:=$SCHEDX_ROOT/ci/base-manifest.txt}"
: "${SCHEDX_PROVENANCE:=$SCHEDX_ROOT/ci/base-provenance.txt}"
: "${SCHEDX_BASES:=$SCHEDX_ROOT/base}"
: "${SCHEDX_PATCHES:=$SCHEDX_ROOT/patches}"

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

# dir_list DIR... prints "api/, doc/, misc/, test/" for "api doc misc test".
dir_list() {
	echo "$*" | sed 's# #/, #g; s#$#/#'
}

# path_goroot VAR prints the GOROOT of the go command on PATH; VAR names the
# variable that would have named one instead (for the error message).
path_goroot() {
	command -v go >/dev/null 2>&1 ||
		die "no go command on PATH and $1 is not set; set $1 to a stock Go GOROOT (e.g. /usr/local/go)"
	env -u GOROOT GOTOOLCHAIN=local go env GOROOT || die "\`go env GOROOT\` failed; set $1"
}

# find_base prints the base GOROOT:
#   - $GOROOT_BASE, if set;
#   - else, if ci/base-provenance.txt exists, base/<base release>, which it
#     assembles first if it is not there (assemble_base: the checksum-verified
#     golang.org/toolchain module plus the donor release's other directories);
#   - else the GOROOT of the go command on PATH (a base that is one whole
#     upstream release, as the tooling tests' fake bases are).
# Callers check the result with verify_base.
find_base() {
	local b
	if [ -n "${GOROOT_BASE:-}" ]; then
		b=$GOROOT_BASE
	elif [ -f "$SCHEDX_PROVENANCE" ]; then
		b=$SCHEDX_BASES/$(base_version) || exit 1
		[ -e "$b" ] || assemble_base "$b"
	else
		b=$(path_goroot GOROOT_BASE) || exit 1
	fi
	[ -d "$b" ] || die "base GOROOT $b is not a directory"
	(cd "$b" && pwd -P)
}

# manifest DIR [SUBDIR...] prints one line per file of the Go tree in DIR (or
# only of its SUBDIRs), sorted by path (bytewise): "<sha256> <mode> <path>",
# mode 644 or 755 as git records it, or 120000 for a symbolic link, hashed by
# its target. bin/ and pkg/ (build outputs) and .git are left out.
manifest() {
	(
		cd "$1" || exit 1
		shift
		[ $# -gt 0 ] || set -- .
		{ find "$@" \( -path ./bin -o -path ./pkg -o -path ./.git \) -prune -o \
			\( -type f -o -type l \) -print0 2>/dev/null || true; } |
			sed -z 's#^\./##' | LC_ALL=C sort -z |
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

# manifest_diff WANT GOT prints how the manifest in file GOT differs from the
# one in WANT, a line per file (at most 20), tab-indented.
manifest_diff() {
	LC_ALL=C join -j 3 -a 1 -a 2 -o 0,1.1,1.2,2.1,2.2 -e - \
		<(LC_ALL=C sort -k3 "$1") <(LC_ALL=C sort -k3 "$2") |
		awk '$2 == "-" { print "\textra file:    " $1; next }
		     $4 == "-" { print "\tmissing file:  " $1; next }
		     $2 != $4  { print "\tmodified file: " $1; next }
		     $3 != $5  { print "\tmode changed:  " $1 " (" $3 " -> " $5 ")" }' |
		head -n 20
}

# verify_base DIR checks that DIR is a pristine copy of the base release:
# its VERSION names $(base_version) and its files match the checked-in
# manifest. On a mismatch it names what was found, what is needed, and the
# files that differ.
verify_base() {
	local dir=$1 want got tmp hint
	want=$(base_version) || exit 1
	hint="use an unmodified $want GOROOT as GOROOT_BASE"
	if [ -d "$SCHEDX_BASES" ] && [[ $dir/ == "$(cd "$SCHEDX_BASES" && pwd -P)"/* ]]; then
		hint="$dir was assembled by the tools; remove it and run ./make.bash to assemble it again"
	fi
	[ -f "$dir/VERSION" ] ||
		die "base GOROOT $dir has no VERSION file; need a pristine $want GOROOT (set GOROOT_BASE)"
	got=$(head -n 1 "$dir/VERSION")
	[ "$got" = "$want" ] ||
		die "base GOROOT $dir is $got; need a pristine $want (set GOROOT_BASE to one, or unset it to use the one ./make.bash assembles)"
	[ -f "$SCHEDX_MANIFEST" ] || die "missing manifest $SCHEDX_MANIFEST"
	tmp=$(mktemp -d)
	manifest "$dir" >"$tmp/got" || { rm -rf "$tmp"; die "cannot read base GOROOT $dir"; }
	if ! cmp -s "$tmp/got" "$SCHEDX_MANIFEST"; then
		{
			echo "${SCHEDX_PROG:-schedx}: base GOROOT $dir says $got but is not pristine $want:"
			manifest_diff "$SCHEDX_MANIFEST" "$tmp/got"
			echo "(compared with $SCHEDX_MANIFEST; $hint)"
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

# download_module GOROOT MODULE@VERSION downloads a module into the module
# cache under base/ with GOROOT's go command and sets module_dir (its
# directory) and module_sum (its h1: hash). For golang.org/toolchain the go
# command checks the hash against the checksum database (sum.golang.org)
# whatever GONOSUMDB or GOSUMDB say, unless GOPROXY is a single file:// URL
# (cmd/go/internal/modfetch/sumdb.go, useSumDB); callers that depend on that
# check use require_sumdb. On failure it dies with the go command's error.
download_module() {
	local goroot=$1 mod=$2 gob scratch json err
	gob=(env -u GOROOT -u GOFLAGS -u GONOSUMDB -u GONOSUMCHECK -u GOPRIVATE -u GOSUMDB -u GIT_HTTP_USER_AGENT GOTOOLCHAIN=local "$goroot/bin/go")
	[ -x "$goroot/bin/go" ] || die "$goroot has no bin/go to download $mod with"
	mkdir -p "$SCHEDX_BASES"
	scratch=$(mktemp -d)
	printf 'module schedx.example/download\n' >"$scratch/go.mod"
	if ! json=$(cd "$scratch" && GOMODCACHE="$SCHEDX_BASES/modcache" GOFLAGS=-modcacherw "${gob[@]}" mod download -json "$mod" 2>"$scratch/stderr"); then
		err=$(sed -n 's/^[[:space:]]*"Error": "\(.*\)",\{0,1\}$/\1/p' <<<"$json" | head -n 1 | sed 's/\\"/"/g')
		[ -n "$err" ] || err=$(tail -n 1 "$scratch/stderr")
		rm -rf "$scratch"
		die "cannot download $mod (GOPROXY=$("${gob[@]}" env GOPROXY)): ${err:-go mod download failed}"
	fi
	rm -rf "$scratch"
	module_dir=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' <<<"$json")
	module_sum=$(sed -n 's/^[[:space:]]*"Sum": "\(.*\)",$/\1/p' <<<"$json")
	[ -d "$module_dir" ] && [ -n "$module_sum" ] || die "go mod download gave no directory or sum for $mod:
$json"
}

# require_sumdb GOROOT MODULE dies unless GOROOT's go command, in the
# environment download_module gives it, verifies MODULE (a golang.org/toolchain
# version) against the checksum database: that is what vouches for a base
# being recorded for the first time. SCHEDX_TEST_NO_SUMDB=1 (the tooling
# tests' fake proxy) turns the check off.
require_sumdb() {
	local proxy
	[ "${SCHEDX_TEST_NO_SUMDB:-}" != 1 ] || return 0
	proxy=$(env -u GOROOT -u GOFLAGS GOTOOLCHAIN=local "$1/bin/go" env GOPROXY)
	if [[ $proxy == file://* && $proxy != *[,\|]* ]]; then
		die "GOPROXY=$proxy is a single file:// URL, with which the go command does not check $2 against the checksum database; record a base from the public module proxy"
	fi
}

# download_toolchain GOROOT goX.Y.Z downloads the golang.org/toolchain module
# of release goX.Y.Z for the host (download_module) and checks its VERSION.
# It sets toolchain_mod (module@version), toolchain_dir (its directory: src/,
# lib/, bin/ and pkg/, no test/, api/, doc/ or misc/) and toolchain_sum (its
# h1: hash).
download_toolchain() {
	local goroot=$1 target=$2 gob
	gob=(env -u GOROOT -u GOFLAGS GOTOOLCHAIN=local "$goroot/bin/go")
	toolchain_mod=golang.org/toolchain@v0.0.1-$target.$("${gob[@]}" env GOHOSTOS)-$("${gob[@]}" env GOHOSTARCH)
	download_module "$goroot" "$toolchain_mod"
	toolchain_dir=$module_dir toolchain_sum=$module_sum
	[ "$(head -n 1 "$toolchain_dir/VERSION")" = "$target" ] || die "$toolchain_mod holds VERSION $(head -n 1 "$toolchain_dir/VERSION")"
}

# The base's provenance (ci/base-provenance.txt) says where each file of the
# base comes from. Header lines:
#   base goX.Y.Z                          the release the base is
#   module golang.org/toolchain@V h1:...  the module its src/, lib/ and
#                                         top-level files come from, and the
#                                         hash the checksum database gave
#   donor goA.B.C DIR...                  the release the directories the
#                                         module lacks come from
# then one line per file: "<sha256> module <path in the module>" for every
# file of the module (bin/ and pkg/ too, go.mod files named _go.mod, so that
# the lines recompute the module's h1: hash, see ci/base-provenance.bash), and
# "<sha256> goA.B.C <path>" for every file taken from the donor.

# prov_header FILE KEY prints the rest of the header line "KEY ..." of FILE.
prov_header() {
	awk -v k="$2" '$1 == k { sub(/^[^ ]+ /, ""); print; exit }' "$1"
}

# verify_donor PROVENANCE DIR checks that DIR is the donor release
# PROVENANCE names and that the files the base takes from it are the
# recorded ones (modes as in the checked-in manifest).
verify_donor() {
	local prov=$1 dir=$2 want dirs got tmp
	read -r want dirs <<<"$(prov_header "$prov" donor)"
	[ -n "$want" ] || die "$prov has no donor line"
	[ -f "$dir/VERSION" ] ||
		die "donor GOROOT $dir has no VERSION file; the base takes $(dir_list $dirs) from a pristine $want (set GOROOT_DONOR to one)"
	got=$(head -n 1 "$dir/VERSION")
	[ "$got" = "$want" ] ||
		die "donor GOROOT $dir is $got; the base takes $(dir_list $dirs) from a pristine $want (set GOROOT_DONOR to one)"
	tmp=$(mktemp -d)
	awk -v o="$want" 'length($1) == 64 && $2 == o { print $1, $3 }' "$prov" | LC_ALL=C sort -k2 >"$tmp/prov"
	# The expected lines in manifest form: the recorded hash, the manifest's mode.
	LC_ALL=C join -1 2 -2 3 -o 1.1,2.2,0 "$tmp/prov" <(LC_ALL=C sort -k3 "$SCHEDX_MANIFEST") >"$tmp/want"
	if [ "$(wc -l <"$tmp/want")" -ne "$(wc -l <"$tmp/prov")" ]; then
		rm -rf "$tmp"
		die "$prov and $SCHEDX_MANIFEST disagree about the files from $want (run ci/base-provenance.bash)"
	fi
	# shellcheck disable=SC2086 # dirs is a list of directory names
	manifest "$dir" $dirs >"$tmp/got" || { rm -rf "$tmp"; die "cannot read donor GOROOT $dir"; }
	if ! cmp -s <(LC_ALL=C sort -k3 "$tmp/want") "$tmp/got"; then
		{
			echo "${SCHEDX_PROG:-schedx}: donor GOROOT $dir says $got but its $(dir_list $dirs) are not pristine $want's:"
			manifest_diff "$tmp/want" "$tmp/got"
			echo "(compared with $prov; set GOROOT_DONOR to an unmodified $want GOROOT)"
		} >&2
		rm -rf "$tmp"
		exit 1
	fi
	rm -rf "$tmp"
}

# assemble_tree PROVENANCE DEST DONOR lays out in DEST (a new directory) the
# base PROVENANCE describes: the module (downloaded, and its h1: hash checked
# against the recorded one) with go.mod files renamed back from _go.mod and
# modes as cmd/distpack sets them in release archives, plus the donor's
# directories (checked by verify_donor). DEST keeps the module's bin/ and
# pkg/, so the base is a working stock toolchain.
assemble_tree() {
	local prov=$1 dest=$2 donor=$3 mod sum donorv dirs
	read -r mod sum <<<"$(prov_header "$prov" module)"
	read -r donorv dirs <<<"$(prov_header "$prov" donor)"
	[ -n "$mod" ] && [ -n "$sum" ] && [ -n "$donorv" ] || die "$prov lacks its module or donor line"
	verify_donor "$prov" "$donor"
	download_module "$donor" "$mod"
	[ "$module_sum" = "$sum" ] ||
		die "$mod from the module proxy has hash $module_sum, but $prov records $sum: not the module the base was recorded from"
	mkdir -p "$dest"
	tar -C "$module_dir" -cf - . | tar -C "$dest" -xf -
	chmod -R u+w "$dest"
	find "$dest" -name _go.mod -type f -print | while read -r f; do mv "$f" "${f%_go.mod}go.mod"; done
	find "$dest" -type f -print | while read -r f; do
		case ${f#"$dest"/} in
		bin/* | pkg/tool/*/* | *.bash | *.sh | *.pl | *.rc | */go_*_*_exec) chmod 755 "$f" ;;
		*) chmod 644 "$f" ;;
		esac
	done
	# shellcheck disable=SC2086 # dirs is a list of directory names
	tar -C "$donor" -cf - $dirs | tar -C "$dest" -xf -
}

# assemble_base DEST assembles the base ci/base-provenance.txt describes in
# DEST, with the donor $GOROOT_DONOR (else the GOROOT of the go on PATH), and
# checks it against the manifest. It works in a scratch directory beside DEST
# and moves it into place only when it is verified: on any failure DEST is
# left absent and nothing else is touched.
assemble_base() {
	local dest=$1 want donor mod tmp
	want=$(base_version) || exit 1
	[ "$(prov_header "$SCHEDX_PROVENANCE" base)" = "$want" ] ||
		die "$SCHEDX_PROVENANCE describes base $(prov_header "$SCHEDX_PROVENANCE" base), but VERSION says $want"
	if [ -n "${GOROOT_DONOR:-}" ]; then
		donor=$GOROOT_DONOR
	else
		donor=$(path_goroot GOROOT_DONOR) || exit 1
	fi
	[ -d "$donor" ] || die "donor GOROOT $donor is not a directory"
	read -r mod _ <<<"$(prov_header "$SCHEDX_PROVENANCE" module)"
	note "assembling the $want base in $dest from $mod and, for $(dir_list $(prov_header "$SCHEDX_PROVENANCE" donor | cut -d' ' -f2-)), $donor"
	mkdir -p "$(dirname "$dest")"
	tmp=$(mktemp -d "$dest.tmp.XXXXXX")
	if ! (assemble_tree "$SCHEDX_PROVENANCE" "$tmp/go" "$donor" && verify_base "$tmp/go"); then
		rm -rf "$tmp"
		exit 1
	fi
	mv "$tmp/go" "$dest"
	rm -rf "$tmp"
	note "assembled and verified $dest"
}

# module_lines DIR prints the provenance lines of the module extracted in
# DIR: "<sha256> module <path>" for every file, sorted by path as the h1:
# hash (golang.org/x/mod/sumdb/dirhash, Hash1) sorts them.
module_lines() {
	(
		cd "$1" || exit 1
		find . -type f -printf '%P\0' | LC_ALL=C sort -z |
			perl -0 -MDigest::SHA -ne '
				chomp;
				my $d = Digest::SHA->new(256);
				$d->addfile($_, "b") or die "module_lines: cannot read $_: $!\n";
				printf "%s module %s\n", $d->hexdigest, $_;
			'
	)
}

# record_base goX.Y.Z makes goX.Y.Z the base: it writes the new
# ci/base-provenance.txt and ci/base-manifest.txt and leaves the assembled
# base in base/goX.Y.Z. The base is the golang.org/toolchain module of
# goX.Y.Z, downloaded and verified against the checksum database
# (require_sumdb), plus, for the directories the module lacks, the files of
# the current donor release (the current base itself if it has no provenance
# file: it is then one whole release, which becomes the donor). VERSION is
# left to the caller.
record_base() {
	local target=$1 cur donor donorv dirs tmp d
	cur=$(find_base) || exit 1
	verify_base "$cur"
	tmp=$(mktemp -d)
	if [ -f "$SCHEDX_PROVENANCE" ]; then
		read -r donorv dirs <<<"$(prov_header "$SCHEDX_PROVENANCE" donor)"
		if [ -n "${GOROOT_DONOR:-}" ]; then
			donor=$GOROOT_DONOR
		else
			donor=$(path_goroot GOROOT_DONOR) || exit 1
		fi
		awk -v o="$donorv" 'length($1) == 64 && $2 == o' "$SCHEDX_PROVENANCE" >"$tmp/donor"
	else
		donorv=$(base_version) donor=$cur
	fi
	require_sumdb "$donor" "golang.org/toolchain@v0.0.1-$target"
	download_toolchain "$donor" "$target"
	if [ ! -f "$SCHEDX_PROVENANCE" ]; then
		# The directories of the whole-release base that the module lacks.
		dirs=$(awk '{ n = split($3, a, "/"); if (n > 1) print a[1] }' "$SCHEDX_MANIFEST" | LC_ALL=C sort -u |
			while read -r d; do [ -e "$toolchain_dir/$d" ] || echo "$d"; done | paste -sd' ' -)
		# shellcheck disable=SC2086
		awk -v o="$donorv" -v dirs=" $dirs " '{ split($3, a, "/"); if (index(dirs, " " a[1] " ")) print $1, o, $3 }' "$SCHEDX_MANIFEST" >"$tmp/donor"
	fi
	{
		echo "# The base of the series: where each of its files comes from. Written by"
		echo "# ci/patches move (record_base in ci/lib.sh); ./make.bash assembles the base"
		echo "# from it and checks the result against ci/base-manifest.txt;"
		echo "# ci/base-provenance.bash checks the two files against each other and"
		echo "# recomputes the module's h1: hash from the module lines."
		echo "base $target"
		echo "module $toolchain_mod $toolchain_sum"
		echo "donor $donorv $dirs"
		module_lines "$toolchain_dir"
		cat "$tmp/donor"
	} >"$tmp/provenance"
	mkdir -p "$tmp/base"
	(assemble_tree "$tmp/provenance" "$tmp/base/go" "$donor") || { rm -rf "$tmp"; exit 1; }
	[ "$(head -n 1 "$tmp/base/go/VERSION")" = "$target" ] || { rm -rf "$tmp"; die "the assembled base says $(head -n 1 "$tmp/base/go/VERSION"), not $target"; }
	manifest "$tmp/base/go" >"$tmp/manifest"
	mkdir -p "$SCHEDX_BASES"
	rm -rf "${SCHEDX_BASES:?}/$target"
	mv "$tmp/base/go" "$SCHEDX_BASES/$target"
	cp "$tmp/provenance" "$SCHEDX_PROVENANCE"
	cp "$tmp/manifest" "$SCHEDX_MANIFEST"
	rm -rf "$tmp"
	note "recorded base $target: $toolchain_mod ($toolchain_sum), and $donorv for $(dir_list $dirs); assembled in $SCHEDX_BASES/$target"
}

# stress_total LOG prints "RUNS FAILURES" from the last "N runs total, M
# failures" line x/tools' cmd/stress wrote to LOG, or nothing if it wrote
# none (it did not start, or was killed before its first report).
stress_total() {
	grep -E '^[0-9hms.]+: [0-9]+ runs total' "$1" | tail -1 | awk '{print $2, $5}'
}
