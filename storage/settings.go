package storage

import (
	"encoding/json"

	"shopcard/domain"
	"shopcard/inbox"
)

// storedSettings is how an installation's settings are sealed: plain
// strings, since domain.Secret redacts itself when encoded.
type storedSettings struct {
	BaseURL           string `json:"base_url,omitempty"`
	AccountID         int64  `json:"account_id,omitempty"`
	APIToken          string `json:"api_token,omitempty"`
	APIEmail          string `json:"api_email,omitempty"`
	SigningSecret     string `json:"signing_secret,omitempty"`
	ClientID          string `json:"client_id,omitempty"`
	ClientSecret      string `json:"client_secret,omitempty"`
	AuthSecret        string `json:"auth_secret,omitempty"`
	PublicKeyPEM      string `json:"public_key_pem,omitempty"`
	AppInstallationID int64  `json:"app_installation_id,omitempty"`
}

// EncodeSettings is an installation's settings as the JSON document that
// is sealed (InstallationContext) into its row.
func EncodeSettings(s inbox.Settings) (string, error) {
	b, err := json.Marshal(storedSettings{
		BaseURL: s.BaseURL, AccountID: s.AccountID, APIToken: s.APIToken.Reveal(), APIEmail: s.APIEmail,
		SigningSecret: s.SigningSecret.Reveal(), ClientID: s.ClientID, ClientSecret: s.ClientSecret.Reveal(),
		AuthSecret: s.AuthSecret.Reveal(), PublicKeyPEM: s.PublicKeyPEM, AppInstallationID: s.AppInstallationID,
	})
	return string(b), err
}

// DecodeSettings reads the document EncodeSettings made.
func DecodeSettings(plain string) (inbox.Settings, error) {
	var s storedSettings
	if err := json.Unmarshal([]byte(plain), &s); err != nil {
		return inbox.Settings{}, err
	}
	return inbox.Settings{
		BaseURL: s.BaseURL, AccountID: s.AccountID, APIToken: domain.NewSecret(s.APIToken), APIEmail: s.APIEmail,
		SigningSecret: domain.NewSecret(s.SigningSecret), ClientID: s.ClientID, ClientSecret: domain.NewSecret(s.ClientSecret),
		AuthSecret: domain.NewSecret(s.AuthSecret), PublicKeyPEM: s.PublicKeyPEM, AppInstallationID: s.AppInstallationID,
	}, nil
}
