#!/usr/bin/env bash
# ci/numa-qemu.bash: boot a Go program as /init of a small x86_64 Linux guest
# with several NUMA nodes under qemu's TCG emulation (no KVM needed), so
# that the runtime's NUMA topology detection can be checked on a real kernel
# that sees more than one node.
#
#   ci/numa-qemu.bash [-go GOROOT] [-nodes 2] [-cpus 4] [-mem 512] [-timeout 300]
#       PROGRAM_DIR [-- program args]
#
# It builds the main package in PROGRAM_DIR with GOROOT's go (default: the
# fork in go/, which must be built; -go /usr/local/go for stock Go) as a
# static linux/amd64 program (CGO_ENABLED=0), packs it as /init into a gzip'd
# newc initramfs with ci/cmd/mkinitramfs (no cpio tool needed; it also adds
# /dev/console and the mount points /proc, /sys, /dev), and boots the newest
# /boot/vmlinuz-* with qemu-system-x86_64 -machine q35 -accel tcg: -cpus
# CPUs and -mem MiB split evenly over -nodes nodes (one socket and one
# memory-backend-ram per node when the CPUs divide evenly), console on ttyS0,
# everything printed to standard output. Arguments after -- go after -- on
# the kernel command line, which the kernel hands to init as its arguments
# (no blanks or quotes in them); SCHEDX_NUMA_NODES and SCHEDX_NUMA_CPUS reach
# init as environment variables.
#
# The program must be init: mount /proc and /sys, and power the guest off
# with a last line "SCHEDX-GUEST-EXIT code=N", whose N becomes this script's
# exit status. test/internal/guest does both (guest.Main(run)); programs of
# the test/ module can import it, see test/numaguest, the example:
#
#   ci/numa-qemu.bash -go /usr/local/go -nodes 2 -cpus 4 test/numaguest
#
# A guest that ends without that line (a kernel panic, init exiting or
# crashing) or that does not end within -timeout seconds fails the script.
#
# Needs qemu-system-x86_64 and a Debian kernel in /boot (built-in 8250
# serial console, initramfs, devtmpfs and ACPI NUMA; modules are not loaded);
# when either is missing it installs the Debian packages qemu-system-x86 and
# linux-image-amd64 with apt-get, as root (about 2 minutes). Not part of CI.
# On 2 cores shared with other work (load average 3-6, 2026-11-28), a guest
# of test/numaguest with 2 to 4 nodes and 4 CPUs took 8-13 s from qemu's
# start to power off (init starts 3-5 s into the kernel's uptime; the rest is
# firmware and unpacking the kernel), plus about 2 s of go build with a warm
# build cache.
set -uo pipefail
SCHEDX_PROG=ci/numa-qemu.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage="usage: ci/numa-qemu.bash [-go GOROOT] [-nodes N] [-cpus N] [-mem MiB] [-timeout SECONDS] PROGRAM_DIR [-- program args]"
goroot=$SCHEDX_GO
nodes=2
cpus=4
mem=512
tmo=300
prog=
while [ $# -gt 0 ]; do
	case $1 in
	-go | -nodes | -cpus | -mem | -timeout)
		[ $# -ge 2 ] || die "$1 needs a value ($usage)"
		case $1 in
		-go) goroot=$2 ;;
		-nodes) nodes=$2 ;;
		-cpus) cpus=$2 ;;
		-mem) mem=$2 ;;
		-timeout) tmo=$2 ;;
		esac
		shift
		;;
	-h | -help | --help) echo "$usage"; exit 0 ;;
	--) shift; break ;;
	-*) die "unknown flag $1 ($usage)" ;;
	*)
		[ -z "$prog" ] || die "more than one PROGRAM_DIR: $prog and $1 ($usage)"
		prog=$1
		;;
	esac
	shift
done
[ -n "$prog" ] || die "no PROGRAM_DIR ($usage)"
for v in nodes cpus mem tmo; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "-${v/tmo/timeout} ${!v}: want a positive integer"
done
[ "$cpus" -ge "$nodes" ] || die "-cpus $cpus is fewer than -nodes $nodes: every node needs a CPU"
per=$((mem / nodes))
[ "$per" -ge 64 ] || die "-mem $mem gives each of $nodes nodes ${per} MiB; give each at least 64"

# Paths are relative to the caller's directory.
[ -d "$prog" ] || die "PROGRAM_DIR $prog is not a directory"
prog=$(cd "$prog" && pwd)
[ -x "$goroot/bin/go" ] || {
	[ "$goroot" = "$SCHEDX_GO" ] && die "no $goroot/bin/go: build the fork (./make.bash) or pass -go /usr/local/go for stock Go"
	die "no $goroot/bin/go: -go wants a GOROOT"
}
goroot=$(cd "$goroot" && pwd)

# Init's arguments travel on the kernel command line, split at blanks.
for a in "$@"; do
	[[ $a =~ [[:space:]\"] ]] && die "program argument \"$a\": no blanks or quotes (they go on the kernel command line)"
	[ -n "$a" ] || die "empty program argument (it would vanish on the kernel command line)"
done

# Install what is missing.
pkgs=()
command -v qemu-system-x86_64 >/dev/null 2>&1 || pkgs+=(qemu-system-x86)
compgen -G '/boot/vmlinuz-*' >/dev/null || pkgs+=(linux-image-amd64)
if [ ${#pkgs[@]} -gt 0 ]; then
	[ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1 ||
		die "need the Debian packages ${pkgs[*]} (as root: apt-get install --no-install-recommends ${pkgs[*]})"
	note "installing ${pkgs[*]} with apt-get"
	aptlog=$(mktemp)
	{ apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${pkgs[@]}"; } >"$aptlog" 2>&1 || {
		tail -n 20 "$aptlog" >&2
		rm -f "$aptlog"
		die "apt-get install ${pkgs[*]} failed"
	}
	rm -f "$aptlog"
	command -v qemu-system-x86_64 >/dev/null 2>&1 || die "no qemu-system-x86_64 after installing qemu-system-x86"
fi
kernel=$(compgen -G '/boot/vmlinuz-*' | sort -V | tail -n 1)
[ -n "$kernel" ] || die "no /boot/vmlinuz-* after installing linux-image-amd64"
[ -r "$kernel" ] || die "cannot read $kernel"
config=/boot/config-${kernel#/boot/vmlinuz-}
if [ -r "$config" ]; then
	for opt in NUMA ACPI_NUMA BLK_DEV_INITRD RD_GZIP DEVTMPFS SERIAL_8250 SERIAL_8250_CONSOLE; do
		grep -qx "CONFIG_$opt=y" "$config" ||
			die "$kernel lacks built-in CONFIG_$opt (see $config); the guest needs a kernel with NUMA, gzip initramfs, devtmpfs and a built-in 8250 serial console"
	done
else
	note "no $config: cannot check $kernel for CONFIG_NUMA and the serial console; trying it anyway"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gob=(env -u GOROOT -u GOFLAGS GOTOOLCHAIN=local "$goroot/bin/go")

note "building $prog with $goroot/bin/go ($("${gob[@]}" version 2>/dev/null | cut -d' ' -f3))"
(cd "$prog" && CGO_ENABLED=0 GOOS=linux GOARCH=amd64 "${gob[@]}" build -buildvcs=false -o "$tmp/init" .) ||
	die "cannot build $prog"
(cd "$SCHEDX_ROOT/ci" && "${gob[@]}" build -buildvcs=false -o "$tmp/mkinitramfs" ./cmd/mkinitramfs) ||
	die "cannot build ci/cmd/mkinitramfs"
"$tmp/mkinitramfs" -o "$tmp/initramfs.cpio.gz" "$tmp/init" || die "cannot make the initramfs"

# One memory backend per node; one socket per node when the CPUs divide.
smp=$cpus
[ $((cpus % nodes)) -eq 0 ] && smp=$cpus,sockets=$nodes,cores=$((cpus / nodes)),threads=1
numa=()
for ((i = 0; i < nodes; i++)); do
	lo=$((i * cpus / nodes))
	hi=$(((i + 1) * cpus / nodes - 1))
	numa+=(-object "memory-backend-ram,id=m$i,size=${per}M"
		-numa "node,nodeid=$i,cpus=$lo-$hi,memdev=m$i")
done
cmdline="console=ttyS0 panic=-1 quiet SCHEDX_NUMA_NODES=$nodes SCHEDX_NUMA_CPUS=$cpus"
[ $# -gt 0 ] && cmdline+=" -- $*"
[ ${#cmdline} -lt 2048 ] || die "kernel command line is ${#cmdline} bytes; the limit is 2047"
qemu=(qemu-system-x86_64 -machine q35 -accel tcg -m $((per * nodes))M -smp "$smp" "${numa[@]}"
	-nographic -no-reboot -nic none
	-kernel "$kernel" -initrd "$tmp/initramfs.cpio.gz" -append "$cmdline")

note "booting $(basename "$kernel") under TCG: $nodes nodes, $cpus CPUs, $((per * nodes)) MiB, timeout ${tmo}s"
note "${qemu[*]}"
start=$SECONDS
# Standard input is /dev/null: timeout runs qemu in the background, where
# -nographic reading a terminal would stop it. sed drops the console's
# carriage returns and the firmware's terminal controls (a reset, clear
# screen, line wrap off) that would upset the caller's terminal.
timeout "$tmo" "${qemu[@]}" </dev/null 2>&1 |
	sed -u 's/\r//g; s/\x1bc/\n/g; s/\x1b\[[0-9;?]*[A-Za-z]//g' | tee "$tmp/console"
status=${PIPESTATUS[0]}
took=$((SECONDS - start))

marker=$(grep -aoE 'SCHEDX-GUEST-EXIT code=[0-9]+' "$tmp/console" | tail -n 1)
if [ -n "$marker" ]; then
	code=${marker#*code=}
	[ "$code" -le 255 ] || die "the guest's exit code $code is not in 0-255"
	note "guest exited with code $code after ${took}s"
	exit "$code"
fi
[ "$status" -eq 124 ] && die "the guest did not power off within ${tmo}s (TCG is slow; on a busy machine raise -timeout)"
if grep -aq 'Kernel panic' "$tmp/console"; then
	grep -aq 'Attempted to kill init' "$tmp/console" &&
		die "kernel panic after ${took}s: init exited or crashed without powering off (end main with guest.PowerOff, or use guest.Main)"
	die "kernel panic after ${took}s: $(grep -a 'Kernel panic' "$tmp/console" | head -n 1)"
fi
[ "$status" -eq 0 ] || die "qemu-system-x86_64 failed (status $status) after ${took}s"
die "the guest stopped after ${took}s without a SCHEDX-GUEST-EXIT line"
