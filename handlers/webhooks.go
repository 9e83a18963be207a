package handlers

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"shopcard/webhooks"
)

// webhookTimeout bounds the work for one delivery: Shopify waits 5 s for an
// answer before it counts the delivery as failed.
const webhookTimeout = 4 * time.Second

// WebhookReceiver verifies Shopify webhook deliveries and acts on them.
type WebhookReceiver interface {
	Receive(ctx context.Context, d webhooks.Delivery) (webhooks.Outcome, error)
}

// shopifyWebhook serves POST /webhooks/shopify. The body is read raw (the
// signature covers its exact bytes) and bounded; everything in the request
// is untrusted until the receiver has checked the signature. A bad or
// missing signature gets 401 and changes nothing; a redelivery gets 200
// and changes nothing; a failure to act gets 500, so Shopify tries again.
func shopifyWebhook(receiver WebhookReceiver) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		body, err := io.ReadAll(http.MaxBytesReader(c.Response(), req.Body, webhooks.MaxBodyBytes))
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				return c.NoContent(http.StatusRequestEntityTooLarge)
			}
			return c.NoContent(http.StatusBadRequest)
		}
		ctx, cancel := context.WithTimeout(req.Context(), webhookTimeout)
		defer cancel()
		outcome, _ := receiver.Receive(ctx, webhooks.Delivery{
			Topic:      req.Header.Get("X-Shopify-Topic"),
			ShopDomain: req.Header.Get("X-Shopify-Shop-Domain"),
			WebhookID:  req.Header.Get("X-Shopify-Webhook-Id"),
			HMAC:       req.Header.Get("X-Shopify-Hmac-Sha256"),
			Body:       body,
		})
		switch outcome {
		case webhooks.Unauthorized:
			return c.NoContent(http.StatusUnauthorized)
		case webhooks.Failed:
			return c.NoContent(http.StatusInternalServerError)
		}
		return c.NoContent(http.StatusOK)
	}
}
