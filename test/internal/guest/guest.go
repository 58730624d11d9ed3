//go:build linux

// Package guest lets a Go program run as /init, the only process of a
// kernel booted by ci/numa-qemu.bash: it mounts the pseudo file systems the
// kernel does not mount for init, and ends the program with a marker line
// that the script turns into its exit status, then powers the machine off.
//
// A program for ci/numa-qemu.bash is a main package of this module (Go's
// internal rule lets only packages under test/ import this one) whose main is
//
//	func main() { guest.Main(run) }
//
// where run returns the exit status. Outside a guest (the process is not
// pid 1) Setup mounts nothing and PowerOff exits, so the same program runs
// on the host as an ordinary command.
//
// Init's arguments are those after "--" on the kernel command line, which
// the script fills from its own arguments after "--"; the kernel passes
// command-line words of the form NAME=VALUE that it does not know (and whose
// NAME has no dot) to init as environment variables, as the script does with
// SCHEDX_NUMA_NODES and SCHEDX_NUMA_CPUS.
package guest

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"syscall"
	"unsafe"
)

// Marker starts the line that PowerOff prints last; ci/numa-qemu.bash exits
// with the status that follows "code=".
const Marker = "SCHEDX-GUEST-EXIT"

// IsInit reports whether the program runs as the kernel's init (pid 1).
func IsInit() bool { return os.Getpid() == 1 }

// Setup mounts proc on /proc, sysfs on /sys and devtmpfs on /dev when the
// program is init, and does nothing otherwise. A file system already
// mounted there is not an error.
func Setup() error {
	if !IsInit() {
		return nil
	}
	for _, m := range []struct{ fstype, dir string }{
		{"proc", "/proc"},
		{"sysfs", "/sys"},
		{"devtmpfs", "/dev"},
	} {
		if err := os.MkdirAll(m.dir, 0o755); err != nil {
			return err
		}
		err := syscall.Mount(m.fstype, m.dir, m.fstype, syscall.MS_NOSUID|syscall.MS_NOEXEC, "")
		if err != nil && !errors.Is(err, syscall.EBUSY) {
			return fmt.Errorf("mount %s on %s: %v", m.fstype, m.dir, err)
		}
	}
	return nil
}

// PowerOff prints "SCHEDX-GUEST-EXIT code=CODE" on standard output, waits
// until the console has sent it, and powers the machine off. Outside a
// guest it prints the same line and exits with status code. It does not
// return.
func PowerOff(code int) {
	fmt.Printf("%s code=%d\n", Marker, code)
	if !IsInit() {
		os.Exit(code)
	}
	// tcdrain: wait until the serial port has sent the line, or the power
	// off can cut it.
	const tcsbrk = 0x5409 // TCSBRK; with argument 1 it is tcdrain(3)
	syscall.Syscall(syscall.SYS_IOCTL, uintptr(1), tcsbrk, 1)
	syscall.Sync()
	err := syscall.Reboot(syscall.LINUX_REBOOT_CMD_POWER_OFF)
	// Not reached unless the power off failed; init exiting makes the kernel
	// panic, which ends the guest too (panic=-1 and qemu -no-reboot).
	fmt.Fprintf(os.Stderr, "guest: power off: %v\n", err)
	os.Exit(code)
}

// Main runs Setup, then run, and powers off with run's result. A panic in
// run (on the calling goroutine) is printed with its stack and powers off
// with status 2, as an uncaught panic exits a Go program; a panic on another
// goroutine crashes init, which the script reports as a kernel panic.
func Main(run func() int) {
	if err := Setup(); err != nil {
		fmt.Fprintf(os.Stderr, "guest: %v\n", err)
		PowerOff(3)
	}
	code := 2
	func() {
		defer func() {
			if r := recover(); r != nil {
				fmt.Fprintf(os.Stderr, "panic: %v\n\n%s", r, debug.Stack())
			}
		}()
		code = run()
	}()
	PowerOff(code)
}

// Affinity returns the CPUs in the calling thread's affinity mask
// (sched_getaffinity(2)), which is what runtime.NumCPU counts.
func Affinity() ([]int, error) {
	var mask [1024 / 64]uint64 // CPU_SETSIZE bits
	_, _, errno := syscall.RawSyscall(syscall.SYS_SCHED_GETAFFINITY, 0, unsafe.Sizeof(mask), uintptr(unsafe.Pointer(&mask)))
	if errno != 0 {
		return nil, errno
	}
	var cpus []int
	for i, w := range mask {
		for b := 0; b < 64; b++ {
			if w&(1<<b) != 0 {
				cpus = append(cpus, 64*i+b)
			}
		}
	}
	return cpus, nil
}
