// Package loadtest measures shopcard from the outside, the way the inbox
// and the browser use it: latency percentiles and throughput under a fixed
// concurrency, and the time until every section of a sidebar has arrived
// when fragments are fetched the way htmx fetches them. `shopcard loadtest`
// drives it against an in-process server and fake Shopify.
package loadtest

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"
)

// Stats summarizes one measured scenario.
type Stats struct {
	Requests int
	Errors   int
	P50      time.Duration
	P90      time.Duration
	P99      time.Duration
	Max      time.Duration
	Elapsed  time.Duration

	sorted []time.Duration // the latencies, for Combine
}

// RPS is completed requests per second of wall time.
func (s Stats) RPS() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Requests) / s.Elapsed.Seconds()
}

// Summarize computes percentiles over latencies (which it sorts).
func Summarize(latencies []time.Duration, errors int, elapsed time.Duration) Stats {
	slices.Sort(latencies)
	return Stats{
		sorted:   latencies,
		Requests: len(latencies),
		Errors:   errors,
		P50:      Percentile(latencies, 0.50),
		P90:      Percentile(latencies, 0.90),
		P99:      Percentile(latencies, 0.99),
		Max:      Percentile(latencies, 1),
		Elapsed:  elapsed,
	}
}

// Percentile returns the p-quantile (0..1) of sorted latencies, by the
// nearest-rank method.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(p*float64(len(sorted))+0.5) - 1
	rank = max(0, min(rank, len(sorted)-1))
	return sorted[rank]
}

// Combine summarizes several runs of one scenario as one: their latencies
// together, their errors and wall times added up. Interleaving runs of two
// scenarios (A B B A) and combining each one's runs spreads the machine's
// other work evenly between them.
func Combine(runs ...Stats) Stats {
	var (
		lats    []time.Duration
		errors  int
		elapsed time.Duration
	)
	for _, r := range runs {
		lats = append(lats, r.sorted...)
		errors += r.Errors
		elapsed += r.Elapsed
	}
	return Summarize(lats, errors, elapsed)
}

// Run calls do total times from concurrency workers and measures each call.
// It stops early when ctx ends, so a run is bounded in time as well.
func Run(ctx context.Context, concurrency, total int, do func(context.Context) error) Stats {
	var (
		next   atomic.Int64
		errs   atomic.Int64
		mu     sync.Mutex
		lats   = make([]time.Duration, 0, total)
		wg     sync.WaitGroup
		starts = time.Now()
	)
	for w := 0; w < concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]time.Duration, 0, total/concurrency+1)
			for ctx.Err() == nil && next.Add(1) <= int64(total) {
				t0 := time.Now()
				if err := do(ctx); err != nil {
					errs.Add(1)
					continue
				}
				local = append(local, time.Since(t0))
			}
			mu.Lock()
			lats = append(lats, local...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return Summarize(lats, int(errs.Load()), time.Since(starts))
}

// Row is one line of the results table.
type Row struct {
	Name  string
	Stats Stats
}

// PrintTable writes rows as an aligned table with milliseconds.
func PrintTable(w io.Writer, rows []Row) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\trequests\terrors\tp50 ms\tp90 ms\tp99 ms\tmax ms\treq/s\t")
	for _, r := range rows {
		s := r.Stats
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\t%s\t%.0f\t\n", r.Name, s.Requests, s.Errors, ms(s.P50), ms(s.P90), ms(s.P99), ms(s.Max), s.RPS())
	}
	return tw.Flush()
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond)) }
