package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"shopcard/config"
)

// TestREADMEListsEveryVariable keeps the README's configuration table in
// step with config.Vars.
func TestREADMEListsEveryVariable(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range config.Vars {
		if !strings.Contains(string(readme), "| `"+v.Name+"` |") {
			t.Errorf("README.md's configuration table lacks %s", v.Name)
		}
	}
}
