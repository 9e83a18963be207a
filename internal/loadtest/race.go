//go:build race

package loadtest

// raceEnabled: built with -race, whose shadow memory makes RSS budgets
// meaningless.
const raceEnabled = true
