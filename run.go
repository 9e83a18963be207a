package main

import (
	"context"
	"io"

	"shopcard/internal/cli"
)

// run is the whole program, with the outside world passed in: main only
// calls it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	return cli.Run(ctx, args, getenv, stdin, stdout, stderr)
}
