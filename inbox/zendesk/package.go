package zendesk

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"time"
)

// Manifest is the part of a ZAF manifest.json shopcard writes.
type Manifest struct {
	Name             string              `json:"name"`
	Author           ManifestAuthor      `json:"author"`
	DefaultLocale    string              `json:"defaultLocale"`
	Private          bool                `json:"private"`
	Location         map[string]any      `json:"location"`
	Version          string              `json:"version"`
	FrameworkVersion string              `json:"frameworkVersion"`
	SignedURLs       bool                `json:"signedUrls"`
	Parameters       []map[string]string `json:"parameters,omitempty"`
}

// ManifestAuthor is who the private app says made it.
type ManifestAuthor struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	URL   string `json:"url,omitempty"`
}

// AppURL is the ticket sidebar's URL for an installation.
func AppURL(publicURL, installationID string) string {
	return publicURL + "/apps/zendesk?" + url.Values{"install": {installationID}}.Encode()
}

// Package builds the private app to upload to Zendesk (Admin Center →
// Apps and integrations → Zendesk Support apps → Upload private app): a
// manifest whose ticket sidebar is shopcard's URL with signed URLs on, the
// English strings and the two logos Zendesk requires.
func Package(publicURL, installationID, authorEmail string) ([]byte, error) {
	m := Manifest{
		Name:          "shopcard",
		Author:        ManifestAuthor{Name: "shopcard", Email: authorEmail, URL: publicURL},
		DefaultLocale: "en",
		Private:       true,
		Location: map[string]any{"support": map[string]any{
			"ticket_sidebar": map[string]any{"url": AppURL(publicURL, installationID), "flexible": true},
		}},
		Version:          "1.0.0",
		FrameworkVersion: "2.0",
		SignedURLs:       true,
	}
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	translations, err := json.MarshalIndent(map[string]any{
		"app": map[string]any{
			"name":                      "shopcard",
			"short_description":         "The requester's Shopify customer and orders.",
			"long_description":          "Shows the ticket requester's customer and orders in every Shopify store connected to your shopcard workspace.",
			"installation_instructions": "Install, then give shopcard the app's public key and this installation's id.",
		},
	}, "", "  ")
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	// Fixed times keep the package the same for the same installation.
	when := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, f := range []struct {
		name string
		body []byte
	}{
		{"manifest.json", manifest},
		{"translations/en.json", translations},
		{"assets/logo.png", logo(320)},
		{"assets/logo-small.png", logo(128)},
	} {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: when})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(f.body); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// logo draws a plain square in shopcard's sky blue with a white band.
func logo(size int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	sky := color.NRGBA{R: 0x03, G: 0x69, B: 0xa1, A: 0xff}
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			c := sky
			if y > size*2/5 && y < size*3/5 && x > size/5 && x < size*4/5 {
				c = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}
