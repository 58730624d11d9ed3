// Example program for probeprof: recursion, goroutines and a recovered panic.
package main

import (
	"fmt"
	"sync"
)

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

func worker(n int, wg *sync.WaitGroup, out *int) {
	defer wg.Done()
	*out = fib(n)
}

func div(a, b int) (q int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return a / b, nil
}

func main() {
	var wg sync.WaitGroup
	res := make([]int, 3)
	for i := range res {
		wg.Add(1)
		go worker(12+2*i, &wg, &res[i])
	}
	wg.Wait()
	_, err := div(1, 0)
	fmt.Println(res, err)
}
