package fakeshopify

import (
	"context"
	"slices"
	"strings"

	graphql "github.com/graph-gophers/graphql-go"
)

// webhookSubscriptionInput is WebhookSubscriptionInput.
type webhookSubscriptionInput struct {
	Format *string
	URI    *string
}

// WebhookSubscriptionCreate resolves Mutation.webhookSubscriptionCreate:
// the fake delivers the topic's webhooks to uri from then on. A topic
// whose data the token may not read is ACCESS_DENIED, as on Shopify (the
// field comes back null, naming the scope it needs); other problems come
// back as userErrors: a bad address, or an address already subscribed.
func (*queryResolver) WebhookSubscriptionCreate(ctx context.Context, args struct {
	Topic               string
	WebhookSubscription webhookSubscriptionInput
}) (*webhookSubscriptionCreatePayloadResolver, error) {
	sc := scopeFrom(ctx)
	topic := topicName(args.Topic)
	fail := func(field, message string) (*webhookSubscriptionCreatePayloadResolver, error) {
		return &webhookSubscriptionCreatePayloadResolver{errs: []*userErrorResolver{{field: []string{"webhookSubscription", field}, message: message}}}, nil
	}
	in := args.WebhookSubscription
	if in.Format != nil && *in.Format != "JSON" {
		return fail("format", "fakeshopify: only JSON webhooks are supported by the fake")
	}
	if in.URI == nil {
		return fail("uri", "Address can't be blank")
	}
	if problem := checkWebhookURI(*in.URI); problem != "" {
		return fail("uri", problem)
	}
	family, _, _ := strings.Cut(topic, "/")
	if scopes, ok := topicScopes[family]; ok && !slices.ContainsFunc(scopes, sc.has) {
		return nil, accessDenied("webhookSubscriptionCreate", scopes...)
	}

	sc.srv.mu.Lock()
	defer sc.srv.mu.Unlock()
	for _, sub := range sc.st.subs {
		if sub.topic == topic && sub.uri == *in.URI {
			return fail("callbackUrl", "Address for this topic has already been taken")
		}
	}
	sub := webhookSub{id: sc.srv.nextSubscriptionID, topic: topic, uri: *in.URI, clientID: sc.clientID}
	sc.srv.nextSubscriptionID++
	sc.st.subs = append(sc.st.subs, sub)
	return &webhookSubscriptionCreatePayloadResolver{sub: &webhookSubscriptionResolver{sub: sub, enum: args.Topic}}, nil
}

// webhookSubscriptionCreatePayloadResolver resolves
// WebhookSubscriptionCreatePayload.
type webhookSubscriptionCreatePayloadResolver struct {
	errs []*userErrorResolver
	sub  *webhookSubscriptionResolver
}

func (r *webhookSubscriptionCreatePayloadResolver) UserErrors() []*userErrorResolver {
	return append([]*userErrorResolver{}, r.errs...)
}

func (r *webhookSubscriptionCreatePayloadResolver) WebhookSubscription() *webhookSubscriptionResolver {
	return r.sub
}

// userErrorResolver resolves UserError.
type userErrorResolver struct {
	field   []string
	message string
}

func (r *userErrorResolver) Field() *[]string {
	if r.field == nil {
		return nil
	}
	return &r.field
}

func (r *userErrorResolver) Message() string { return r.message }

// webhookSubscriptionResolver resolves WebhookSubscription.
type webhookSubscriptionResolver struct {
	sub  webhookSub
	enum string
}

func (r *webhookSubscriptionResolver) ID() graphql.ID { return gid("WebhookSubscription", r.sub.id) }
func (r *webhookSubscriptionResolver) Topic() string  { return r.enum }
func (r *webhookSubscriptionResolver) URI() string    { return r.sub.uri }
