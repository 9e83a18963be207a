package ai

import (
	"context"

	"shopcard/auth"
	"shopcard/domain"
)

// KeyMaker records new API keys.
type KeyMaker interface {
	CreateAPIKey(ctx context.Context, workspaceID int64, name, keyHash, prefix string) (domain.APIKey, error)
}

// NewAPIKey makes a key for a workspace and records only its hash and
// prefix: the key it returns is shown once, by the caller (the CLI, the
// admin console), and can never be read back.
func NewAPIKey(ctx context.Context, keys KeyMaker, workspaceID int64, name string) (string, domain.APIKey, error) {
	key := auth.NewAPIKey()
	k, err := keys.CreateAPIKey(ctx, workspaceID, name, auth.HashToken(key), key[:auth.APIKeyShownPrefix])
	if err != nil {
		return "", domain.APIKey{}, err
	}
	return key, k, nil
}
