package view_test

import (
	"log"
	"net/http"

	"schedx.example/sched/view"
)

// A service mounts the view on its debug server, next to net/http/pprof:
// the page is then at http://127.0.0.1:6060/debug/sched/ and the JSON
// snapshot at /debug/sched/snapshot.json (schedtop reads either).
func ExampleHandler() {
	mux := http.NewServeMux()
	mux.Handle("/debug/sched/", http.StripPrefix("/debug/sched", view.Handler()))
	go func() {
		// A debug server listens on the loopback interface only.
		log.Println(http.ListenAndServe("127.0.0.1:6060", mux))
	}()
}
