package devmode

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// resetDevDB deletes the dev database, SQLite's files beside it and its
// key file, so that the next start seeds a fresh demo.
func resetDevDB(db string) error {
	for _, suffix := range []string{"", "-wal", "-shm", ".key"} {
		if err := os.Remove(db + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("reset the dev database: %w", err)
		}
	}
	return nil
}
