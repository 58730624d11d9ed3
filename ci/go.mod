module schedx.example/ci

go 1.26
