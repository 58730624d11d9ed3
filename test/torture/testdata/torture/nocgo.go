// Copyright 2026 The schedx Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

//go:build unix && !cgo

package main

const haveCgo = false

func cgoCall(int) {}
