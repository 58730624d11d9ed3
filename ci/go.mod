module schedx.example/ci

go 1.26.0

tool golang.org/x/tools/cmd/stress

require golang.org/x/tools v0.52.0 // indirect
