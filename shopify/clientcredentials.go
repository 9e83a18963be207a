package shopify

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"shopcard/domain"
)

// ClientCredentialsOptions configures a ClientCredentials.
type ClientCredentialsOptions struct {
	// URLTemplate is the same template the Admin API client uses (see
	// Options.URLTemplate): the token endpoint is on the shop's domain.
	URLTemplate string
	HTTPClient  *http.Client
	Now         func() time.Time
}

// ClientCredentials gets access tokens for Dev Dashboard apps with the
// client credentials grant: the app's own client ID and secret are
// exchanged, at the shop's token endpoint, for an access token that
// expires after about a day and comes with no refresh token (the app
// simply asks again). Shopify grants it only to apps installed on stores
// of the app's own organization. Unlike OAuth, each store brings its own
// credentials, so one ClientCredentials serves every store.
type ClientCredentials struct {
	template string
	http     *http.Client
	now      func() time.Time
}

// NewClientCredentials validates the options and returns a
// ClientCredentials.
func NewClientCredentials(o ClientCredentialsOptions) (*ClientCredentials, error) {
	if o.URLTemplate == "" {
		o.URLTemplate = DefaultURLTemplate
	}
	if err := ValidateURLTemplate(o.URLTemplate); err != nil {
		return nil, err
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: CallTimeout}
	}
	// The client secret travels in the body: never follow a redirect with it.
	client := *o.HTTPClient
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if o.Now == nil {
		o.Now = time.Now
	}
	return &ClientCredentials{template: strings.TrimRight(o.URLTemplate, "/"), http: &client, now: o.Now}, nil
}

// Grant exchanges an app's client ID and secret for an access token to
// shop. Shopify's refusals come back as *domain.Error whose message says
// what to do, wrapping the *GrantRefusal:
//
//   - invalid_client: the ID or secret is wrong (KindShopifyAuth);
//   - app_not_installed: the app is not installed on the store
//     (KindShopifyAuth);
//   - shop_not_permitted: the store is outside the app's organization,
//     where only OAuth or an access token will do (KindShopifyAuth);
//   - anything else the endpoint refuses (KindShopifyAuth).
//
// No answer at all is KindShopifyUnavailable or KindShopifyTimeout, as
// for every call.
func (g *ClientCredentials) Grant(ctx context.Context, shop, clientID string, secret domain.Secret) (Tokens, error) {
	if !ValidShopDomain(shop) {
		return Tokens{}, domain.Errorf(domain.KindInvalid, "%q is not a myshopify.com domain; shopcard only talks to *.myshopify.com.", shop)
	}
	// As Shopify documents the grant: a form, not JSON.
	body := url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {secret.Reveal()}}.Encode()
	base := strings.ReplaceAll(g.template, "{shop}", shop)
	t, err := postToken(ctx, g.http, base, "application/x-www-form-urlencoded", []byte(body), g.now)
	var refusal *GrantRefusal
	if errors.As(err, &refusal) {
		return Tokens{}, domain.Wrap(domain.KindShopifyAuth, refusal, refusalMessage(shop, refusal))
	}
	if k := domain.KindOf(err); k == domain.KindShopifyUnavailable || k == domain.KindShopifyTimeout {
		return Tokens{}, domain.Wrap(k, err, "Shopify couldn't be reached to grant a token, so nothing changed. Try again in a moment.")
	}
	return t, err
}

// refusalMessage says, for each way Shopify refuses client credentials,
// what to do about it. The messages are shown where the credentials are
// entered (the connect form, the store's "Replace credentials") and
// recorded on the store when a renewal is refused.
func refusalMessage(shop string, r *GrantRefusal) string {
	switch r.Code {
	case "invalid_client":
		return "Shopify didn't accept this client ID and secret (invalid_client). Copy both again from the app's Settings page in the Dev Dashboard and enter them here; if the secret was rotated, use the new one."
	case "app_not_installed":
		return "The app isn't installed on " + shop + " (app_not_installed). In the Dev Dashboard, release a version of the app with its scopes and install it on this store, then enter its client ID and secret here again."
	case "shop_not_permitted":
		return "Shopify only gives Dev Dashboard apps tokens for stores of the app's own organization, and " + shop + " isn't one (shop_not_permitted). Connect this store with Shopify OAuth or with an access token instead."
	}
	message := "Shopify refused to grant a token (" + r.Code
	if r.Description != "" {
		message += ": " + r.Description
	}
	return message + "). Check the app's client ID and secret in the Dev Dashboard and enter them here again."
}
