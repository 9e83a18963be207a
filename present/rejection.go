package present

import (
	"net/http"

	"shopcard/domain"
	"shopcard/views"
)

// RejectionTitle is the heading of the page shown, inside the frame, when
// the sidebar cannot open, by the response's status.
func RejectionTitle(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "This request can't be used"
	case http.StatusUnauthorized:
		return "Can't open the sidebar"
	case http.StatusForbidden:
		return "Not allowed"
	case http.StatusNotFound:
		return "Not found"
	case http.StatusTooManyRequests:
		return "Too many attempts"
	case http.StatusRequestEntityTooLarge:
		return "Too much to send"
	case http.StatusBadGateway, http.StatusGatewayTimeout:
		return "Shopify didn't answer"
	}
	return "Something went wrong"
}

// Rejection is the page for an error that stopped the sidebar opening,
// with the error's own message for the rep.
func Rejection(status int, err error) views.Rejection {
	message := domain.MessageOf(err)
	if message == "" {
		message = "Something went wrong on our side. Try again in a moment."
	}
	return views.Rejection{Title: RejectionTitle(status), Message: message}
}
