package workload

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// order is the document BenchmarkJSON encodes and decodes: the shape of a
// typical service payload, with nested objects, strings, numbers, a map
// and a timestamp.
type order struct {
	ID       string            `json:"id"`
	Customer customer          `json:"customer"`
	Items    []lineItem        `json:"items"`
	Labels   map[string]string `json:"labels"`
	Created  time.Time         `json:"created"`
	Paid     bool              `json:"paid"`
	Total    float64           `json:"total"`
}

type customer struct {
	Name    string   `json:"name"`
	Email   string   `json:"email"`
	Tags    []string `json:"tags"`
	Account int64    `json:"account"`
}

type lineItem struct {
	SKU      string  `json:"sku"`
	Title    string  `json:"title"`
	Quantity int     `json:"quantity"`
	Price    float64 `json:"price"`
	Note     string  `json:"note,omitempty"`
}

// newOrder returns a deterministic order with 40 line items (about 4 KiB
// of JSON).
func newOrder() *order {
	rng := rand.New(rand.NewPCG(1, 2))
	o := &order{
		ID:       "ord-0001-2026",
		Customer: customer{Name: "Ada Lovelace", Email: "ada@example.com", Tags: []string{"gold", "eu", "b2b"}, Account: 4711},
		Labels:   map[string]string{"region": "eu-west", "channel": "web", "priority": "normal"},
		Created:  time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC),
		Paid:     true,
	}
	for i := range 40 {
		it := lineItem{
			SKU:      fmt.Sprintf("SKU-%06d", rng.IntN(1e6)),
			Title:    fmt.Sprintf("Item number %d with a \"quoted\" name & more", i),
			Quantity: 1 + rng.IntN(9),
			Price:    float64(rng.IntN(100000)) / 100,
		}
		if i%3 == 0 {
			it.Note = "gift wrap <please>"
		}
		o.Items = append(o.Items, it)
		o.Total += float64(it.Quantity) * it.Price
	}
	return o
}

// BenchmarkJSON measures encoding/json on every P at once: encode marshals
// the order, decode unmarshals its encoding into a fresh value. Throughput
// is reported in B/s of JSON.
func BenchmarkJSON(b *testing.B) {
	o := newOrder()
	data, err := json.Marshal(o)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("encode", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := json.Marshal(o); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("decode", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				var got order
				if err := json.Unmarshal(data, &got); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}
