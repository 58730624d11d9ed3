module schedx.example/test

go 1.26
