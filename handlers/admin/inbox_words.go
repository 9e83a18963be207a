package admin

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"shopcard/domain"
	"shopcard/inbox"
	"shopcard/inbox/front"
	"shopcard/inbox/helpscout"
	"shopcard/inbox/zendesk"
	"shopcard/views"
)

// This file is what the inboxes page says about an installation: where
// its URL goes, its settings without their secrets, and how a test went.

// pasteWhere says where in the helpdesk the installation's URL goes.
func pasteWhere(k inbox.Kind) string {
	switch k {
	case inbox.Chatwoot:
		return "In Chatwoot: Settings → Integrations → Dashboard Apps → Add a new dashboard app, name it Shopify, and paste this URL."
	case inbox.HelpScout:
		return "In Help Scout: Manage → Apps → Create App; paste this URL as the Callback URL, enter the same secret key, and pick the mailboxes."
	case inbox.Front:
		return "In Front: Settings → Developers → your app → Features → Add plugin (sidebar), and paste this URL; Front adds auth_secret itself."
	case inbox.Zendesk:
		return "This URL is in the app package: download it below and upload it as a private app (Admin Center → Apps and integrations → Zendesk Support apps → Upload private app)."
	}
	return ""
}

// saved names the secrets an installation holds, which are never shown.
func saved(names ...string) views.Fact {
	return views.Fact{Label: "Saved, never shown", Value: strings.Join(names, ", ")}
}

// apiOrDefault is the API URL an installation calls.
func apiOrDefault(s inbox.Settings, def string) string {
	if s.BaseURL != "" {
		return s.BaseURL
	}
	return def
}

// installationSettings are what an admin may see of an installation's
// settings: addresses, ids and which secrets are held, never a secret.
func installationSettings(inst inbox.Installation) []views.Fact {
	s := inst.Settings
	switch inst.Kind {
	case inbox.Chatwoot:
		return []views.Fact{{Label: "Chatwoot URL", Value: s.BaseURL}, {Label: "Account", Value: strconv.FormatInt(s.AccountID, 10)}, saved("the agent's access token")}
	case inbox.HelpScout:
		return []views.Fact{{Label: "OAuth App ID", Value: s.ClientID}, {Label: "Inbox API", Value: apiOrDefault(s, helpscout.DefaultAPI)}, saved("the secret key", "the App Secret")}
	case inbox.Front:
		return []views.Fact{{Label: "Core API", Value: apiOrDefault(s, front.DefaultAPI)}, saved("the auth secret", "the API token")}
	case inbox.Zendesk:
		facts := []views.Fact{{Label: "Zendesk URL", Value: s.BaseURL}, {Label: "API user", Value: s.APIEmail}}
		if s.PublicKeyPEM != "" && s.AppInstallationID != 0 {
			facts = append(facts, views.Fact{Label: "App installation", Value: strconv.FormatInt(s.AppInstallationID, 10) + ", public key saved"})
		} else {
			facts = append(facts, views.Fact{Label: "App installation", Value: "not given yet: Zendesk's requests are refused until it is"})
		}
		return append(facts, saved("the API token"))
	}
	return nil
}

// frameOrigins lists who may frame an installation's app, the kind's own
// marked as added automatically.
func frameOrigins(inst inbox.Installation) []views.FrameOrigin {
	auto := map[string]bool{}
	for _, o := range inbox.DefaultFrameOrigins(inst.Kind, inst.Settings) {
		auto[o] = true
	}
	var out []views.FrameOrigin
	for _, o := range inst.Ancestors() {
		out = append(out, views.FrameOrigin{Origin: o, Automatic: auto[o]})
	}
	return out
}

// addedMessage is the notice after an installation is added: what to do
// next in the helpdesk.
func addedMessage(inst inbox.Installation) string {
	msg := fmt.Sprintf("Added the %s installation %s. ", inst.Kind.Title(), inbox.Handle(inst.ID))
	switch inst.Kind {
	case inbox.Zendesk:
		return msg + "Download its app package below and upload it to Zendesk as a private app; once it is installed, paste the app's public key and the app installation's id into its form."
	case inbox.HelpScout:
		return msg + "Now create the app in Help Scout with its URL, below, and the same secret key."
	}
	return msg + "Now paste its URL, below, into " + inst.Kind.Title() + "."
}

// checkNotice says how a test of an installation's credentials went: what
// worked, or what the admin has to fix. The helpdesk's refusal messages are
// written for the rep in the helpdesk's frame, so only their reason and
// what shopcard saw of the answer are used here.
func checkNotice(inst inbox.Installation, err error) domain.Notice {
	if err == nil {
		return domain.Notice{Message: checkPassed(inst)}
	}
	title, s := inst.Kind.Title(), inst.Settings
	var msg string
	switch {
	case errors.Is(err, inbox.ErrCredentials):
		msg = credentialsFix(inst, inbox.Seen(err))
	case errors.Is(err, inbox.ErrUnavailable):
		where := s.BaseURL
		switch inst.Kind {
		case inbox.HelpScout:
			where = apiOrDefault(s, helpscout.DefaultAPI)
		case inbox.Front:
			where = apiOrDefault(s, front.DefaultAPI)
		}
		msg = fmt.Sprintf("shopcard got %s from %s. Check that it is %s's address and that shopcard's server can reach it; if it is, %s may be having a problem: test again in a moment.",
			inbox.Seen(err), where, title, title)
	default:
		// The remaining refusals (an account Chatwoot doesn't have, a
		// missing setting) are already written for the admin.
		msg = domain.MessageOf(err)
	}
	return domain.Notice{Error: true, Message: fmt.Sprintf("The %s installation %s failed its test. %s", title, inbox.Handle(inst.ID), msg)}
}

// checkPassed says what a passed test proved, and what it can't.
func checkPassed(inst inbox.Installation) string {
	s := inst.Settings
	switch inst.Kind {
	case inbox.Chatwoot:
		return fmt.Sprintf("Chatwoot answered: the agent's access token opens account %d's contacts, so the sidebar can look contacts up.", s.AccountID)
	case inbox.HelpScout:
		return "Help Scout gave shopcard an access token for the OAuth app " + s.ClientID + ", so the sidebar can look customers up. Help Scout can't be asked about the secret key: open a conversation in Help Scout to check it."
	case inbox.Front:
		return "Front accepted the API token, so the sidebar can look conversations up. Front can't be asked about the auth secret: open the plugin in Front to check it."
	case inbox.Zendesk:
		msg := "Zendesk accepted the API token of " + s.APIEmail + ", so the sidebar can look up tickets' requesters."
		if s.PublicKeyPEM == "" || s.AppInstallationID == 0 {
			return msg + " The app's public key isn't saved yet: upload the app package, install it, and paste its public key and the app installation's id into the installation's form; until then Zendesk's requests are refused."
		}
		return msg + fmt.Sprintf(" The public key of app installation %d is saved: open a ticket in Zendesk to check the signature end to end (tokens must name %s).",
			s.AppInstallationID, zendesk.Audience(s.BaseURL, s.AppInstallationID))
	}
	return "The installation works."
}

// credentialsFix says which credential a helpdesk refused and how to get
// a good one. Rotating a credential means adding the installation again
// (see the README's trust model), so the advice says so.
func credentialsFix(inst inbox.Installation, seen string) string {
	s := inst.Settings
	if seen != "" {
		seen = " (" + seen + ")"
	}
	switch inst.Kind {
	case inbox.Chatwoot:
		return fmt.Sprintf("Chatwoot refused the agent's access token for account %d%s: the token is wrong or was reset, or its agent isn't in account %d. Copy a current token (Profile settings → Access token) of an agent of the account, check the account id (the number in the dashboard's address, /app/accounts/ID/…), then add the installation again with them and remove this one.",
			s.AccountID, seen, s.AccountID)
	case inbox.HelpScout:
		return fmt.Sprintf("Help Scout refused the OAuth app's App ID %s and App Secret%s. Copy both again from Your Profile → My Apps, then add the installation again with them and remove this one.", s.ClientID, seen)
	case inbox.Front:
		return fmt.Sprintf("Front refused the API token%s. Make a new one that can read the inboxes' conversations (Settings → Developers → API tokens), then add the installation again with it and remove this one.", seen)
	case inbox.Zendesk:
		return fmt.Sprintf("Zendesk refused the API token of %s%s. Check that the email is the token's user's and that token access is on (Admin Center → Apps and integrations → Zendesk API); make a new token if need be, then add the installation again and remove this one.", s.APIEmail, seen)
	}
	return "The helpdesk refused the installation's credentials."
}
