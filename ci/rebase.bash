#!/usr/bin/env bash
# ci/rebase.bash (run as ci/patches rebase): try the patch series on another
# upstream release and write a report.
#
#   ci/patches rebase [-n] goX.Y.Z
#
# 1. Downloads golang.org/toolchain@v0.0.1-goX.Y.Z.<host> from the module
#    proxy with go mod download, which verifies it against the checksum
#    database (sum.golang.org), into rebase-work/ (git-ignored).
# 2. Makes a git repository (rebase-work/goX.Y.Z/go) holding the pinned base
#    as one commit (schedx/base, as in go/), the series on it (patches/,
#    applied with git am), and the new base as a commit on schedx/base: the
#    module's src/, lib/ and top-level files. The module has no api/, doc/,
#    misc/ or test/, so those directories stay the pinned base's (which are
#    themselves the donor release's, see ci/base-provenance.txt): patch
#    hunks in them are applied to the old files, and nothing in them (the
#    API check, the release notes, the test/ directory's tests) is checked
#    against the new release. This is the tree ci/patches move records.
# 3. Cherry-picks each patch onto the new base with three-way merges and
#    records, per patch: clean (git apply takes it as it is), merged (it
#    needed the three-way merge) or conflicting (with the files). A
#    conflicting patch is left out and the rest are tried without it.
# 4. Unless -n, or a patch conflicts, builds the result (src/make.bash, the
#    pinned base as GOROOT_BOOTSTRAP) and runs go test -short on runtime,
#    runtime/debug and runtime/metrics, with a build cache of its own.
#
# The report is docs/rebase/goX.Y.Z.md; it holds nothing that changes from
# run to run (times go to the terminal), so rerunning the command on the
# same series reproduces it. The work tree stays in rebase-work/goX.Y.Z for
# resolving a conflict (see docs/maintaining.md).
set -euo pipefail
SCHEDX_PROG="ci/patches rebase"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$SCHEDX_ROOT"

build=1
if [ "${1:-}" = -n ]; then
	build=0
	shift
fi
[ $# -eq 1 ] || die "usage: ci/patches rebase [-n] goX.Y.Z"
target=$1
[[ $target =~ ^go[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "$target is not an upstream release name (goX.Y.Z)"
[ -d "$SCHEDX_GO/.git" ] || die "no go/: run ./make.bash first (the pinned base commit is taken from it)"
git -C "$SCHEDX_GO" rev-parse -q --verify schedx/base >/dev/null || die "go/ has no schedx/base tag; it was not made by ci/patches"

base=$(find_base)
verify_base "$base"
# The release api/, doc/, misc/ and test/ come from.
others=$(base_version)
if [ -f "$SCHEDX_PROVENANCE" ]; then
	others=$(prov_header "$SCHEDX_PROVENANCE" donor | cut -d' ' -f1)
fi

work=$SCHEDX_ROOT/rebase-work
mkdir -p "$work"
work=$(cd "$work" && pwd)

# 1. The new base, checksum-verified.
note "downloading the golang.org/toolchain module of $target (verified against the checksum database)"
download_toolchain "$base" "$target"
mod=$toolchain_mod moddir=$toolchain_dir modsum=$toolchain_sum

# 2. The repository: pinned base, series, new base.
repo=$work/$target/go
rm -rf "$work/$target"
mkdir -p "$work/$target"
g() { "${SCHEDX_GIT[@]}" -C "$repo" "$@"; }
export GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z"
"${SCHEDX_GIT[@]}" clone --quiet --no-checkout --shared "$SCHEDX_GO" "$repo"
g fetch --quiet "$SCHEDX_GO" "refs/tags/schedx/base:refs/tags/schedx/base"
g checkout --quiet -b series schedx/base
mapfile -t patches < <(find "$SCHEDX_PATCHES" -maxdepth 1 -name '*.patch' | LC_ALL=C sort)
[ ${#patches[@]} -gt 0 ] || die "no patches in $SCHEDX_PATCHES"
for p in "${patches[@]}"; do
	g am --quiet --committer-date-is-author-date --no-3way "$p" >/dev/null 2>&1 ||
		die "patches/$(basename "$p") does not apply to the pinned base $(base_version); run ci/patches check"
done
mapfile -t commits < <(g rev-list --reverse schedx/base..series)

g checkout --quiet -b rebased schedx/base
# Replace everything but api/, doc/, misc/ and test/ with the module's files,
# go.mod files renamed back from _go.mod and file modes as cmd/distpack
# sets them in release archives.
find "$repo" -mindepth 1 -maxdepth 1 ! -name .git ! -name api ! -name doc ! -name misc ! -name test -exec rm -rf {} +
tar -C "$moddir" --exclude=./bin --exclude=./pkg -cf - . | tar -C "$repo" -xf -
chmod -R u+w "$repo"
find "$repo" -path "$repo/.git" -prune -o -name _go.mod -print | while read -r f; do mv "$f" "${f%_go.mod}go.mod"; done
find "$repo" -path "$repo/.git" -prune -o -type f -print | while read -r f; do
	case $f in
	*.bash | *.sh | *.pl | *.rc | */go_*_*_exec) chmod 755 "$f" ;;
	*) chmod 644 "$f" ;;
	esac
done
g add --all --force .
g commit --quiet --no-verify -m "$target (src/, lib/ from $mod; api/, doc/, misc/, test/ from $others)"
g tag schedx/newbase

# 3. Cherry-pick each patch.
results=()
conflicts=0
for i in "${!commits[@]}"; do
	c=${commits[$i]}
	name=$(basename "${patches[$i]}" .patch)
	if g format-patch --stdout -1 "$c" | g apply --check >/dev/null 2>&1; then
		status=clean files=
	else
		files=$(g format-patch --stdout -1 "$c" | g apply --check 2>&1 |
			sed -n -e 's/^error: patch failed: \(.*\):[0-9]*$/\1/p' -e 's/^error: \(.*\): does not exist in index$/\1/p' \
				-e 's/^error: \(.*\): already exists in working directory$/\1/p' -e 's/^error: \(.*\): patch does not apply$/\1/p' |
			LC_ALL=C sort -u | paste -sd' ' -) || true
		status=merged
	fi
	if ! g cherry-pick --allow-empty "$c" >/dev/null 2>&1; then
		status=conflicting
		files=$(g diff --name-only --diff-filter=U | LC_ALL=C sort | paste -sd' ' -)
		g cherry-pick --abort
		conflicts=$((conflicts + 1))
	fi
	note "$name: $status${files:+ ($files)}"
	results+=("| \`$name\` | $status | ${files:+\`${files// /\`, \`}\`} |")
done

# 4. Build and test.
buildres="not built (-n)"
testres="not run"
if [ $conflicts -gt 0 ]; then
	buildres="not built: $conflicts patch(es) conflict"
elif [ $build -eq 1 ]; then
	tree=$work/$target/tree
	rm -rf "$tree"
	g worktree add --quiet --detach "$tree" rebased
	# A version of its own and a build cache of its own: the go command keys
	# compiled packages on the version of a release toolchain.
	{ echo "$target-schedx.0"; sed -n '2,$p' "$tree/VERSION"; } >"$tree/VERSION.tmp" && mv "$tree/VERSION.tmp" "$tree/VERSION"
	cache=$work/$target/gocache
	note "building $target + series in $tree (GOROOT_BOOTSTRAP=$base)"
	start=$SECONDS
	if (cd "$tree/src" && env -u GOROOT -u GOFLAGS GOROOT_BOOTSTRAP="$base" GOTOOLCHAIN=local GOCACHE="$cache" \
		./make.bash) >"$work/$target/make.log" 2>&1; then
		buildres="ok"
		note "built in $((SECONDS - start))s"
		note "go test -short runtime runtime/debug runtime/metrics"
		start=$SECONDS
		if (cd "$tree/src" && env -u GOROOT -u GOFLAGS PATH="$tree/bin:$PATH" GOTOOLCHAIN=local GOCACHE="$cache" \
			go test -short -timeout=20m runtime runtime/debug runtime/metrics) >"$work/$target/test.log" 2>&1; then
			testres="ok"
		else
			testres="FAILED: $(sed -n 's/^--- FAIL: \([^ ]*\).*/\1/p; s/^FAIL[[:space:]]\{1,\}\([^ ]*\).*/\1/p' "$work/$target/test.log" |
				LC_ALL=C sort -u | paste -sd' ' -) (log: rebase-work/$target/test.log)"
		fi
		note "tests: $testres ($((SECONDS - start))s)"
	else
		buildres="FAILED (log: rebase-work/$target/make.log): $({ grep -m 3 -E '\.go:[0-9]+(:[0-9]+)?: ' "$work/$target/make.log" || true; } | sed -e "s#$tree/##" -e 's#^\(\.\./\)*src/#src/#' | paste -sd';' -)"
		note "build failed; see $work/$target/make.log"
	fi
fi

mkdir -p docs/rebase
report=docs/rebase/$target.md
{
	echo "# The series on $target"
	echo
	echo "Written by \`ci/patches rebase $([ $build -eq 0 ] && echo '-n ')$target\`; rerun it to reproduce this report."
	echo
	echo "- Series: the ${#patches[@]} patches of patches/ (sha256 of their concatenation: \`$(cat "${patches[@]}" | sha256sum | cut -c1-16)\`), pinned base $(base_version)."
	echo "- New base: \`$mod\`, \`$modsum\`, verified against sum.golang.org by \`go mod download\`."
	echo "  It holds src/ and lib/ only: api/, doc/, misc/ and test/ stay $others's, so patch hunks there"
	echo "  are applied to the old files, and the API check, the release-note check and the test/ directory's"
	echo "  tests (test/codegen, test/probes.go) are not run against $target."
	echo
	echo "| patch | result | files needing a merge or conflicting |"
	echo "| --- | --- | --- |"
	printf '%s\n' "${results[@]}"
	echo
	echo "- Build (\`src/make.bash\`, GOROOT_BOOTSTRAP=$(base_version), VERSION $target-schedx.0): $buildres"
	echo "- \`go test -short runtime runtime/debug runtime/metrics\`: $testres"
} >"$report"
note "wrote $report"
[ $conflicts -eq 0 ] && [[ $buildres == ok* || $buildres == "not built (-n)" ]] && [[ $testres == ok || $testres == "not run" ]]
