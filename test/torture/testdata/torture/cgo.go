// Copyright 2026 The schedx Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

//go:build unix && cgo

package main

/*
#include <time.h>

static void tortureSleep(long ns) {
	struct timespec ts = { 0, ns };
	nanosleep(&ts, 0);
}

static int tortureAdd(int a, int b) { return a + b; }
*/
import "C"

const haveCgo = true

// cgoCall makes a short blocking C call and a fast one.
func cgoCall(ns int) {
	C.tortureSleep(C.long(ns))
	if C.tortureAdd(1, 2) != 3 {
		panic("cgo: 1+2 != 3")
	}
}
