#!/usr/bin/env bash
# ci/move.bash (run as ci/patches move): move the base to another upstream
# point release of the same Go version, in one command.
#
#   ci/patches move [-notest] goX.Y.Z
#
# 1. Checks: goX.Y.Z is a later point release of the base's goX.Y; go/ holds
#    no work of its own and matches patches/ (ci/patches check); VERSION,
#    ci/base-*.txt and patches/ have no uncommitted changes.
# 2. Tries the series on goX.Y.Z (ci/patches rebase -n: the toolchain
#    module, checksum-verified, and a three-way merge per patch) and writes
#    docs/rebase/goX.Y.Z.md. A conflicting patch stops the move here; see
#    docs/maintaining.md for resolving it.
# 3. Records the new base (record_base in ci/lib.sh): ci/base-provenance.txt
#    (the module and its h1: hash, the donor's files for api/, doc/, misc/,
#    test/) and ci/base-manifest.txt, and assembles it in base/goX.Y.Z.
# 4. Sets VERSION to goX.Y.Z-schedx.1, materializes go/ on the new base from
#    the rebased series, extracts it to patches/ (refreshed index lines and
#    line numbers; the content of a patch that needed a three-way merge is
#    the merge's), and builds it (./make.bash).
# 5. Unless -notest, runs ./all.bash (about 45 minutes), its log in
#    rebase-work/goX.Y.Z/all.log.
# 6. Appends what it did to the report and lists what to review and commit.
# A failure before step 4 leaves the project as it was (but for the report);
# after it, `git checkout VERSION ci/base-manifest.txt ci/base-provenance.txt
# patches` and ./make.bash go back to the old base.
set -euo pipefail
SCHEDX_PROG="ci/patches move"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$SCHEDX_ROOT"

test=1
if [ "${1:-}" = -notest ]; then
	test=0
	shift
fi
[ $# -eq 1 ] || die "usage: ci/patches move [-notest] goX.Y.Z"
target=$1
[[ $target =~ ^go([0-9]+\.[0-9]+)\.([0-9]+)$ ]] || die "$target is not an upstream point release name (goX.Y.Z)"
tminor=${BASH_REMATCH[1]} tpatch=${BASH_REMATCH[2]}
cur=$(base_version)
[[ $cur =~ ^go([0-9]+\.[0-9]+)\.([0-9]+)$ ]] || die "the base $cur is not a point release"
if [ "${BASH_REMATCH[1]}" != "$tminor" ]; then
	die "$target is not a point release of go${BASH_REMATCH[1]} (the base is $cur): moving to a new Go version takes more than this command (api/go$tminor.txt, doc/, test/; see docs/maintaining.md)"
fi
[ "$tpatch" -gt "${BASH_REMATCH[2]}" ] || die "$target is not later than the base $cur"

# 1. Checks.
[ "$(ci/patches status)" = synced ] ||
	die "go/ must match patches/ with no work of its own (ci/patches status: $(ci/patches status)); run ./make.bash, or extract and commit your work first"
ci/patches check >/dev/null 2>&1 || { ci/patches check || true; die "ci/patches check fails"; }
if git rev-parse --git-dir >/dev/null 2>&1; then
	changes=$(git status --porcelain -- VERSION ci/base-manifest.txt ci/base-provenance.txt patches)
	[ -z "$changes" ] || die "commit or revert these first: $(echo "$changes" | paste -sd' ' -)"
fi

# The release must be downloadable, and recording it needs the checksum
# database: find out before anything is written.
base=$(find_base)
verify_base "$base"
require_sumdb "$base" "golang.org/toolchain@v0.0.1-$target"
note "downloading the golang.org/toolchain module of $target"
download_toolchain "$base" "$target"

# 2. The series on the new release: merge report.
note "trying the series on $target (ci/patches rebase -n $target)"
if ! "$SCHEDX_ROOT/ci/rebase.bash" -n "$target"; then
	die "the series does not apply to $target (docs/rebase/$target.md); resolve the conflict in rebase-work/$target/go as docs/maintaining.md says, then move by hand"
fi
repo=$SCHEDX_ROOT/rebase-work/$target/go
merged=$(grep -c '| merged |' "docs/rebase/$target.md" || true)

# 3. The new base.
record_base "$target"

# 4. VERSION, go/ on the new base, patches/ extracted from it, build.
fork=$target-schedx.1
echo "$fork" >VERSION
series=$(mktemp -d)
"${SCHEDX_GIT[@]}" -C "$repo" format-patch --quiet --zero-commit --no-signature --no-numbered \
	--full-index --no-renames --output-directory "$series" schedx/newbase..rebased >/dev/null
rm -rf "$SCHEDX_GO"
SCHEDX_PATCHES=$series "$SCHEDX_ROOT/ci/patches" apply
rm -rf "$series"
"$SCHEDX_ROOT/ci/patches" extract
./make.bash
"$SCHEDX_ROOT/ci/patches" check

# 5. Tests.
allres="not run (-notest)"
if [ $test -eq 1 ]; then
	note "running ./all.bash (log: rebase-work/$target/all.log)"
	if ./all.bash >"rebase-work/$target/all.log" 2>&1; then
		allres=$(tail -n 1 "rebase-work/$target/all.log")
	else
		allres="FAILED: $(tail -n 1 "rebase-work/$target/all.log") (log: rebase-work/$target/all.log)"
	fi
fi

# 6. Report.
{
	echo
	echo "## Moved"
	echo
	echo "\`ci/patches move $([ $test -eq 0 ] && echo '-notest ')$target\`, $(date -u +%Y-%m-%d): base $cur -> $target, VERSION $fork."
	echo
	echo "- Base: $(prov_header "$SCHEDX_PROVENANCE" module) (src/, lib/, bin/, pkg/);"
	read -r donorv dirs <<<"$(prov_header "$SCHEDX_PROVENANCE" donor)"
	# shellcheck disable=SC2086
	echo "  $donorv for $(dir_list $dirs) (ci/base-provenance.txt)."
	echo "- patches/ extracted on $target$([ "$merged" -gt 0 ] && echo " ($merged patch(es) needed a three-way merge: review their diff)")."
	echo "- \`./make.bash\`: ok; \`ci/patches check\`: ok."
	echo "- \`./all.bash\`: $allres"
} >>"docs/rebase/$target.md"
note "moved the base to $target ($fork). Review and commit:"
git status --short -- VERSION ci/base-manifest.txt ci/base-provenance.txt patches docs/rebase >&2 || true
note "then update what names the old base (README.md, docs/maintaining.md: ci/basediff $target lists what the release changed)"
[[ $allres != FAILED* ]]
