package admin

// What the console's tests need to see of its insides.
const (
	SignInFailed  = signInFailed
	SessionCookie = sessionCookie
)
