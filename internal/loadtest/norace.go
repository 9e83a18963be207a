//go:build !race

package loadtest

// raceEnabled: built without -race; RSS budgets are checked.
const raceEnabled = false
