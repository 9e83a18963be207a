package fakehelpdesk

import (
	"net"
	"net/http"
	"time"

	"shopcard/fakeshopify"
)

// The seeded fakes' credentials. They run on loopback for tests and the
// demo, so published values are fine here.
const (
	ChatwootToken        = "fake-chatwoot-agent-token"
	ChatwootAccount      = 1
	ChatwootOtherAccount = 2
	HelpScoutClientID    = "fake-helpscout-app-id"
	HelpScoutSecret      = "fake-helpscout-app-secret"
	HelpScoutSigningKey  = "fake-helpscout-signing-key"
	FrontToken           = "fake-front-api-token"
	FrontAuthSecret      = "fake-front-auth-secret"
	ZendeskEmail         = "admin@zendesk.example"
	ZendeskToken         = "fake-zendesk-api-token"
)

// The seeded people: the fake Shopify's showcase customers, by each
// helpdesk's own ids.
const (
	// ChatwootMaya and ChatwootJordan are contacts of ChatwootAccount;
	// ChatwootStranger belongs to ChatwootOtherAccount.
	ChatwootMaya        = 1
	ChatwootJordan      = 2
	ChatwootStranger    = 50
	HelpScoutMaya       = 501
	HelpScoutJordan     = 502
	FrontMaya           = "cnv_1a"
	FrontJordan         = "cnv_2b"
	ZendeskMayaTicket   = 101
	ZendeskJordanTicket = 102
)

// Set is the four fakes, each on its own loopback origin.
type Set struct {
	Chatwoot     *Chatwoot
	ChatwootURL  string
	HelpScout    *HelpScout
	HelpScoutURL string
	Front        *Front
	FrontURL     string
	Zendesk      *Zendesk
	ZendeskURL   string
	servers      []*http.Server
}

// Start serves the four fakes, seeded, on 127.0.0.1 ports of their own.
func Start(now func() time.Time) (*Set, error) {
	s := &Set{
		Chatwoot:  NewChatwoot(ChatwootToken),
		HelpScout: NewHelpScout(HelpScoutClientID, HelpScoutSecret, HelpScoutSigningKey),
		Front:     NewFront(FrontToken, FrontAuthSecret),
	}
	z, err := NewZendesk(ZendeskEmail, ZendeskToken, now)
	if err != nil {
		return nil, err
	}
	s.Zendesk = z
	maya := []string{fakeshopify.EmailShowcase}
	jordan := []string{fakeshopify.EmailSixtyOrders}
	s.Chatwoot.AddContact(ChatwootAccount, Person{ID: ChatwootMaya, Name: "Maya Chen", Emails: maya})
	s.Chatwoot.AddContact(ChatwootAccount, Person{ID: ChatwootJordan, Name: "Jordan Rivera", Emails: jordan})
	s.Chatwoot.AddContact(ChatwootOtherAccount, Person{ID: ChatwootStranger, Name: "Someone Else", Emails: []string{fakeshopify.EmailGuest}})
	s.HelpScout.AddCustomer(Person{ID: HelpScoutMaya, Name: "Maya Chen", Emails: []string{fakeshopify.EmailShowcase, fakeshopify.EmailShowcaseOther}})
	s.HelpScout.AddCustomer(Person{ID: HelpScoutJordan, Name: "Jordan Rivera", Emails: jordan})
	s.Front.AddConversation(FrontMaya, Person{Name: "Maya Chen", Emails: maya})
	s.Front.AddConversation(FrontJordan, Person{Name: "Jordan Rivera", Emails: jordan})
	s.Zendesk.AddTicket(ZendeskMayaTicket, Person{ID: 11, Name: "Maya Chen", Emails: maya})
	s.Zendesk.AddTicket(ZendeskJordanTicket, Person{ID: 12, Name: "Jordan Rivera", Emails: jordan})
	for _, f := range []struct {
		h   http.Handler
		url *string
	}{{s.Chatwoot, &s.ChatwootURL}, {s.HelpScout, &s.HelpScoutURL}, {s.Front, &s.FrontURL}, {s.Zendesk, &s.ZendeskURL}} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			s.Close()
			return nil, err
		}
		srv := &http.Server{Handler: f.h, ReadHeaderTimeout: 5 * time.Second}
		s.servers = append(s.servers, srv)
		go srv.Serve(ln)
		*f.url = "http://" + ln.Addr().String()
	}
	s.Zendesk.SetBaseURL(s.ZendeskURL)
	return s, nil
}

// Origins are the fakes' origins, which frame shopcard's apps.
func (s *Set) Origins() []string {
	return []string{s.ChatwootURL, s.HelpScoutURL, s.FrontURL, s.ZendeskURL}
}

// Close stops the fakes.
func (s *Set) Close() {
	for _, srv := range s.servers {
		srv.Close()
	}
}
