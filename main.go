// Command shopcard shows a support rep, inside their inbox, who a contact is
// in Shopify. See README.md.
package main

import (
	"context"
	"fmt"
	"os"
)

func main() {
	if err := run(context.Background(), os.Args, os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "shopcard:", err)
		os.Exit(1)
	}
}
