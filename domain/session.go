package domain

import "time"

// Session is an admin's signed-in browser. The cookie holds a random token;
// the database holds only its hash.
type Session struct {
	ID         int64
	Admin      Admin
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// Notice is a one-line message shown once on the next admin page, after a
// form was handled and the browser redirected.
type Notice struct {
	Message string
	Error   bool
}
