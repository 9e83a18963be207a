package shopify

//go:generate go tool genqlient genqlient.yaml
