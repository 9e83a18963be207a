// Package present maps domain data to view models: the words, dates,
// links and badges that reps and admins read. Templates in views only
// render what it produces, and handlers only fetch what it needs, so every
// decision about wording lives here, once.
package present
