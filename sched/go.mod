module schedx.example/sched

go 1.26
