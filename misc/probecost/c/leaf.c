// The C anchor for probecost: the same empty non-inlined function, called in
// a loop, compiled with and without -finstrument-functions. hooks.c (not
// instrumented) records each hook call the way the Go recorder does: a
// CLOCK_MONOTONIC time stamp and the function into a per-thread ring.
//
//	gcc -O2 -o plain leaf.c hooks.c
//	gcc -O2 -c hooks.c   # not instrumented: the hooks would call themselves
//	gcc -O2 -finstrument-functions -o probed leaf.c hooks.o
#include <stdio.h>
#include <time.h>

__attribute__((noinline)) int leaf(int x) { return x + 1; }

static double now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

void drain(void);

__attribute__((no_instrument_function)) int main(void) {
	enum { N = 100000000, CHUNK = 10000 };
	volatile int s = 0;
	double total = 0;
	for (int i = 0; i < N; i += CHUNK) {
		double t0 = now();
		int x = s;
		for (int j = 0; j < CHUNK; j++)
			x = leaf(x);
		s = x;
		total += now() - t0;
		drain();
	}
	printf("%.2f ns/call\n", total / N);
	return 0;
}
