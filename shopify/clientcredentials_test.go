package shopify_test

import (
	"context"
	"errors"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"shopcard/domain"
	"shopcard/fakeshopify"
	"shopcard/shopify"
)

// TestClientCredentialsAgainstTheFake runs the grant over real HTTP
// against the fake: a token that opens the store with the app's scopes and
// expires when Shopify says, and each refusal with what to do.
func TestClientCredentialsAgainstTheFake(t *testing.T) {
	clock := &stepClock{now: time.Now()}
	fake := fakeshopify.NewSeeded(clock.Now)
	if err := fake.AddApp(fakeshopify.App{ClientID: "other-org-app", ClientSecret: "other-org-secret", Organization: "another-organization", Scopes: []string{"read_customers", "read_orders"}}); err != nil {
		t.Fatal(err)
	}
	if err := fake.InstallApp(fakeshopify.AcmeDomain, "other-org-app"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	template := srv.URL + fakeshopify.ShopURLTemplate
	grants, err := shopify.NewClientCredentials(shopify.ClientCredentialsOptions{URLTemplate: template, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	client, _ := shopify.NewClient(shopify.Options{URLTemplate: template})
	ctx := context.Background()

	tokens, err := grants.Grant(ctx, fakeshopify.SakuraDomain, fakeshopify.DevAppClientID, domain.NewSecret(fakeshopify.DevAppClientSecret))
	if err != nil {
		t.Fatal(err)
	}
	if d := tokens.AccessTokenExpiresAt.Sub(clock.Now()); d != fakeshopify.ClientCredentialsTokenTTL {
		t.Errorf("the token expires in %v, want %v", d, fakeshopify.ClientCredentialsTokenTTL)
	}
	if !tokens.RefreshToken.IsZero() {
		t.Error("the client credentials grant came with a refresh token")
	}
	info, err := client.CheckAccess(ctx, fakeshopify.SakuraDomain, tokens.AccessToken)
	if err != nil || !shopify.HasScope(info.Scopes, shopify.ScopeFulfillments) || len(shopify.MissingScopes(info.Scopes)) != 0 {
		t.Fatalf("the granted token: %+v, %v", info, err)
	}
	clock.Advance(fakeshopify.ClientCredentialsTokenTTL)
	if _, err := client.CheckAccess(ctx, fakeshopify.SakuraDomain, tokens.AccessToken); domain.KindOf(err) != domain.KindShopifyAuth {
		t.Errorf("an expired token: %v, want a 401", err)
	}

	tests := []struct {
		name, shop, clientID, secret string
		code                         string // Shopify's OAuth error
		advice                       string // what the message says to do
	}{
		{"wrong secret", fakeshopify.SakuraDomain, fakeshopify.DevAppClientID, "not-the-secret", "invalid_client", "Copy both again from the app's Settings page"},
		{"unknown client", fakeshopify.SakuraDomain, "no-such-app", fakeshopify.DevAppClientSecret, "invalid_client", "Settings page in the Dev Dashboard"},
		{"not installed", fakeshopify.NordicDomain, fakeshopify.DevAppClientID, fakeshopify.DevAppClientSecret, "app_not_installed", "install it on this store"},
		{"another organization's store", fakeshopify.AcmeDomain, "other-org-app", "other-org-secret", "shop_not_permitted", "Connect this store with Shopify OAuth or with an access token instead"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := grants.Grant(ctx, tt.shop, tt.clientID, domain.NewSecret(tt.secret))
			var refusal *shopify.GrantRefusal
			if !errors.As(err, &refusal) || refusal.Code != tt.code || !errors.Is(err, shopify.ErrGrantRefused) {
				t.Fatalf("err %v, want a %s refusal", err, tt.code)
			}
			if domain.KindOf(err) != domain.KindShopifyAuth || !strings.Contains(domain.MessageOf(err), tt.advice) {
				t.Errorf("kind %v, message %q", domain.KindOf(err), domain.MessageOf(err))
			}
			if strings.Contains(err.Error(), tt.secret) {
				t.Error("the error holds the secret")
			}
		})
	}

	t.Run("network failure", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		dead := "http://" + l.Addr().String() + "/shops/{shop}"
		l.Close()
		g, _ := shopify.NewClientCredentials(shopify.ClientCredentialsOptions{URLTemplate: dead})
		_, err = g.Grant(ctx, fakeshopify.SakuraDomain, fakeshopify.DevAppClientID, domain.NewSecret(fakeshopify.DevAppClientSecret))
		if domain.KindOf(err) != domain.KindShopifyUnavailable || !strings.Contains(domain.MessageOf(err), "Try again in a moment") {
			t.Errorf("kind %v (%q), want unavailable, saying to try again", domain.KindOf(err), domain.MessageOf(err))
		}
	})
	t.Run("only myshopify.com domains", func(t *testing.T) {
		if _, err := grants.Grant(ctx, "evil.example.com", "x", domain.NewSecret("y")); domain.KindOf(err) != domain.KindInvalid {
			t.Errorf("a storefront domain: %v", err)
		}
	})
	if g, _ := fake.Grants(fakeshopify.SakuraDomain); g.ClientCredentials != 1 {
		t.Errorf("Sakura granted %d tokens, want 1", g.ClientCredentials)
	}
}
